"""Every word the studio shows staff, in Vietnamese and English, in one table.

Pages show labels in the chosen language; messages (what went wrong, what happened) are
always shown in both, the chosen language first, so a colleague can help either way.
"""

from __future__ import annotations

from flask import flash, g

STRINGS: dict[str, tuple[str, str]] = {
    "app.name": ("Xưởng nội dung kiosk", "Kiosk content studio"),
    "nav.dashboard": ("Tổng quan", "Overview"),
    "nav.changes": ("Thay đổi", "Changes"),
    "nav.preview": ("Xem trước", "Preview"),
    "nav.publish": ("Xuất bản", "Publish"),
    "nav.history": ("Lịch sử", "History"),
    "nav.import": ("Nhập bảng tính", "Import spreadsheet"),
    "nav.audit": ("Nhật ký", "Audit log"),
    "nav.users": ("Người dùng", "Users"),
    "nav.logout": ("Đăng xuất", "Sign out"),
    "lang.switch": ("English", "Tiếng Việt"),
    "login.title": ("Đăng nhập", "Sign in"),
    "login.name": ("Tên đăng nhập", "User name"),
    "login.password": ("Mật khẩu", "Password"),
    "login.submit": ("Đăng nhập", "Sign in"),
    "login.bad": (
        "Sai tên đăng nhập hoặc mật khẩu. Hãy thử lại.",
        "Wrong user name or password. Try again.",
    ),
    "login.locked": (
        "Đăng nhập sai quá nhiều lần. Hãy chờ 1 phút rồi thử lại.",
        "Too many failed sign-ins. Wait 1 minute and try again.",
    ),
    "login.needed": (
        "Phiên làm việc đã hết hoặc chưa đăng nhập. Hãy đăng nhập.",
        "Your session has ended or you are not signed in. Please sign in.",
    ),
    "login.welcome": ("Xin chào, {name}.", "Welcome, {name}."),
    "logout.done": ("Đã đăng xuất.", "You are signed out."),
    "role.denied": (
        "Bạn không có quyền làm việc này. Hãy nhờ quản trị viên.",
        "You are not allowed to do this. Ask an administrator.",
    ),
    "csrf.bad": (
        "Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ. Hãy tải lại trang và làm lại; "
        "chưa có gì thay đổi.",
        "The form expired or lacks its security code. Reload the page and try again; "
        "nothing was changed.",
    ),
    "not_found": ("Không tìm thấy trang hoặc mục này.", "This page or item was not found."),
    "too_big": (
        "Tệp quá lớn (tối đa {mb} MB). Hãy chọn tệp nhỏ hơn; chưa có gì thay đổi.",
        "The file is too large (at most {mb} MB). Choose a smaller file; nothing was changed.",
    ),
    "role.editor": ("Biên tập viên", "Editor"),
    "role.publisher": ("Người xuất bản", "Publisher"),
    "role.admin": ("Quản trị viên", "Administrator"),
    "list.search": ("Tìm", "Search"),
    "list.add": ("Thêm mới", "Add new"),
    "list.edit": ("Sửa", "Edit"),
    "list.delete": ("Xóa", "Delete"),
    "list.empty": ("Không có mục nào.", "Nothing here."),
    "list.count": ("{n} mục", "{n} item(s)"),
    "list.up": ("Lên", "Up"),
    "list.down": ("Xuống", "Down"),
    "list.drag": (
        "Kéo thả để đổi thứ tự, hoặc dùng nút Lên/Xuống.",
        "Drag to reorder, or use the Up/Down buttons.",
    ),
    "edit.save": ("Lưu", "Save"),
    "edit.cancel": ("Quay lại danh sách", "Back to the list"),
    "edit.new": ("Thêm {kind}", "New: {kind}"),
    "edit.title": ("Sửa {kind}: {key}", "Edit {kind}: {key}"),
    "edit.saved": ("Đã lưu {key}.", "Saved {key}."),
    "edit.deleted": ("Đã xóa {key}.", "Deleted {key}."),
    "edit.refused": (
        "Chưa lưu: hãy sửa các ô được đánh dấu bên dưới. Nội dung bạn nhập vẫn còn.",
        "Not saved: fix the fields marked below. What you typed is kept.",
    ),
    "edit.delete_refused": (
        "Không xóa được {key}: {why}",
        "Could not delete {key}: {why}",
    ),
    "edit.conflict": (
        "Chưa lưu: {user} đã sửa mục này lúc {at}. Nội dung bạn nhập vẫn ở dưới; "
        "giá trị mới nhất hiện bên cạnh từng ô. Hãy xem lại rồi lưu lần nữa.",
        "Not saved: {user} changed this item at {at}. What you typed is kept below; the "
        "newest values are shown next to each field. Check them, then save again.",
    ),
    "edit.gone": (
        "Mục này đã bị người khác xóa. Nội dung bạn nhập vẫn còn; lưu sẽ tạo lại mục.",
        "Someone else deleted this item. What you typed is kept; saving creates it again.",
    ),
    "edit.current": ("Giá trị hiện tại: {value}", "Current value: {value}"),
    "edit.confirm_delete": ("Xóa mục này?", "Delete this item?"),
    "edit.someone": ("người khác", "someone else"),
    "ref.choose": ("— Chọn —", "— Choose —"),
    "ref.all": ("— Tất cả —", "— All of them —"),
    "ref.none": ("—", "—"),
    "ref.group": ("Cả nhóm: {name}", "Whole group: {name}"),
    "ref.missing": ("{key} (không tìm thấy)", "{key} (not found)"),
    "ref.hint_many": (
        "Chọn theo thứ tự sẽ hiện trên màn hình; để trống các ô không dùng.",
        "Choose them in the order the screen shows them; leave unused boxes empty.",
    ),
    "ref.hint_all": (
        "Để trống ô đầu tiên để hiện tất cả.",
        "Leave the first box empty to show them all.",
    ),
    "ref.hint_kind": (
        "Đổi loại trang ở trên thì danh sách này đổi theo.",
        "Change the kind of slide above and this list follows.",
    ),
    "ref.slot": ("Mục {n}", "Item {n}"),
    "ref.kind_first": (
        "Chọn kiểu trang ở trên trước; danh sách để chọn sẽ hiện ở đây.",
        "Choose the kind of slide above first; the list to choose from appears here.",
    ),
    "image.current": ("Ảnh hiện tại", "Current image"),
    "image.upload": (
        "Tải ảnh lên (PNG, JPEG hoặc WebP, tối đa {mb} MB)",
        "Upload an image (PNG, JPEG or WebP, at most {mb} MB)",
    ),
    "image.remove": ("Bỏ ảnh", "Remove the image"),
    "image.not_image": (
        "Tệp này không phải ảnh PNG, JPEG hoặc WebP. Hãy chọn một ảnh khác.",
        "This file is not a PNG, JPEG or WebP image. Choose another image.",
    ),
    "image.too_many_pixels": (
        "Ảnh quá lớn ({pixels} triệu điểm ảnh, tối đa {limit}). Hãy thu nhỏ ảnh rồi tải lại.",
        "The image is too large ({pixels} million pixels, at most {limit}). Make it "
        "smaller and upload it again.",
    ),
    "dash.published": ("Bản đang chiếu", "Published content"),
    "dash.none": ("Chưa xuất bản lần nào.", "Nothing has been published yet."),
    "dash.serial": ("Số phiên bản", "Serial"),
    "dash.when": ("Lúc", "When"),
    "dash.who": ("Người xuất bản", "Published by"),
    "dash.note": ("Ghi chú", "Note"),
    "dash.changes": ("Số thay đổi chưa xuất bản", "Changes not yet published"),
    "dash.errors": ("Lỗi cần sửa", "Errors to fix"),
    "dash.warnings": ("Cảnh báo", "Warnings"),
    "dash.fleet": ("Các kiosk", "Kiosks"),
    "dash.no_kiosks": (
        "Chưa có kiosk nào gửi tín hiệu. IT thêm kiosk bằng lệnh 'kiosk studio addkiosk'.",
        "No kiosk has reported yet. IT adds kiosks with 'kiosk studio addkiosk'.",
    ),
    "fleet.ok": ("Bình thường", "OK"),
    "fleet.silent": ("Mất liên lạc", "Silent"),
    "fleet.stuck": ("Màn hình không cập nhật", "Screen not painting"),
    "fleet.never": ("Chưa từng báo", "Never reported"),
    "fleet.name": ("Kiosk", "Kiosk"),
    "fleet.seen": ("Lần báo cuối", "Last report"),
    "fleet.version": ("Phiên bản phần mềm", "Software version"),
    "fleet.error": ("Lỗi gần nhất", "Last error"),
    "problems.title": ("Kiểm tra nội dung", "Content check"),
    "problems.none": ("Không có lỗi.", "No errors."),
    "level.error": ("Lỗi", "Error"),
    "level.warning": ("Cảnh báo", "Warning"),
    "changes.title": ("Thay đổi so với bản đang chiếu", "Changes since the published content"),
    "changes.none": ("Không có thay đổi.", "No changes."),
    "changes.added": ("Thêm mới", "Added"),
    "changes.changed": ("Đã sửa", "Changed"),
    "changes.deleted": ("Đã xóa", "Deleted"),
    "changes.field": ("Ô", "Field"),
    "changes.before": ("Trước", "Before"),
    "changes.after": ("Sau", "After"),
    "audit.title": ("Nhật ký thao tác", "Audit log"),
    "audit.at": ("Lúc", "When"),
    "audit.user": ("Người làm", "Who"),
    "audit.address": ("Địa chỉ máy", "From address"),
    "audit.action": ("Việc", "What"),
    "audit.detail": ("Chi tiết", "Details"),
}


def lang() -> str:
    return getattr(g, "lang", "vi")


def pair(key: str, /, **kw) -> tuple[str, str]:
    vi, en = STRINGS[key]
    return vi.format(**kw), en.format(**kw)


def t(key: str, /, **kw) -> str:
    """``key`` in the page's language."""
    vi, en = pair(key, **kw)
    return vi if lang() == "vi" else en


def both(text: tuple[str, str]) -> tuple[str, str]:
    """(chosen language, other language) for a bilingual message."""
    return text if lang() == "vi" else (text[1], text[0])


def say(key: str, category: str = "info", /, **kw) -> None:
    """Flash a bilingual message for the next page."""
    flash(list(pair(key, **kw)), category)


def say_pair(text: tuple[str, str], category: str = "info") -> None:
    flash(list(text), category)
