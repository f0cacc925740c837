"""Every message office staff read about their content, in one place.

Each message has three forms: the one-line technical English of ``str(problem)`` (logs, the
CLI, tests), and the staff wording in Vietnamese and in English (the studio, the import
summary), which names fields the way a spreadsheet user thinks of them, not by column name.
Messages are ``str.format`` templates over the problem's parameters.
"""

from __future__ import annotations

from kiosk.content.model import MAX_DURATION_S as _HIGH
from kiosk.content.model import MIN_DURATION_S as _LOW
from kiosk.content.model import split_lang

# table -> (vi, en): what one row of the table is, in staff words.
TABLE_NAMES: dict[str, tuple[str, str]] = {
    "sources": ("Nguồn", "Source"),
    "indicators": ("Chỉ số", "Indicator"),
    "achievements": ("Thành tích", "Achievement"),
    "milestones": ("Mốc sự kiện", "Milestone"),
    "quotes": ("Trích dẫn", "Quote"),
    "projects": ("Dự án", "Project"),
    "statements": ("Nhận định", "Statement"),
    "playlist": ("Trang trình chiếu", "Slide"),
    "categories": ("Nhóm mốc sự kiện", "Milestone category"),
}

# column base name -> (vi, en); a ``_vi``/``_en`` column adds the language in brackets.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "key": ("Mã", "Code"),
    "title": ("Tiêu đề", "Title"),
    "publisher": ("Nơi đăng", "Publisher"),
    "published": ("Ngày đăng", "Date published"),
    "note": ("Ghi chú", "Note"),
    "label": ("Tên chỉ số", "Indicator name"),
    "value": ("Giá trị", "Figure"),
    "unit": ("Đơn vị", "Unit"),
    "kind": ("Loại", "Type"),
    "period": ("Thời điểm số liệu", "Period of the figure"),
    "source_key": ("Mã nguồn", "Source code"),
    "qualifier": ("Từ đi kèm (gần/hơn)", "Qualifier (nearly/more than)"),
    "group_key": ("Mã nhóm", "Group code"),
    "group_label": ("Tên nhóm", "Group name"),
    "national_note": ("So sánh cả nước", "National comparison"),
    "explanation": ("Giải thích", "Explanation"),
    "position": ("Thứ tự", "Order"),
    "giver": ("Đơn vị trao tặng", "Given by"),
    "year": ("Năm", "Year"),
    "category": ("Nhóm", "Category"),
    "body": ("Nội dung", "Text"),
    "rank": ("Hạng", "Rank"),
    "date": ("Ngày", "Date"),
    "precision": ("Độ chính xác của ngày", "Date precision"),
    "image": ("Ảnh", "Image"),
    "speaker": ("Người phát biểu", "Speaker"),
    "role": ("Chức vụ", "Position held"),
    "text": ("Lời trích", "Quoted words"),
    "direct": ("Trích nguyên văn", "Direct quote"),
    "said_on": ("Ngày phát biểu", "Date said"),
    "status": ("Tình trạng", "Status"),
    "ref": ("Nội dung trình chiếu", "What the slide shows"),
    "duration_s": ("Thời lượng (giây)", "Duration (seconds)"),
    "enabled": ("Đang bật", "Switched on"),
    "show_from": ("Hiện từ ngày", "Show from"),
    "show_until": ("Hiện đến ngày", "Show until"),
    "name": ("Tên", "Name"),
    "color": ("Màu", "Colour"),
}
# Table-specific labels where the shared one would mislead.
TABLE_FIELD_LABELS: dict[tuple[str, str], tuple[str, str]] = {
    ("playlist", "kind"): ("Kiểu trang", "Slide type"),
    ("playlist", "title"): ("Tiêu đề trang", "Slide title"),
    ("indicators", "kind"): ("Loại số liệu", "Kind of figure"),
}
LANGUAGE_SUFFIX = {"vi": (" (tiếng Việt)", " (Vietnamese)"), "en": (" (tiếng Anh)", " (English)")}

# code -> (technical English, staff Vietnamese, staff English)
MESSAGES: dict[str, tuple[str, str, str]] = {
    # content rules (validate)
    "unknown_source": (
        "unknown source '{value}'; use a key from sources",
        "không có nguồn mã «{value}»; hãy dùng mã của một nguồn đã có",
        "there is no source with code '{value}'; use the code of an existing source",
    ),
    "empty": (
        "is empty; fill it in",
        "đang để trống; hãy điền vào",
        "is empty; please fill it in",
    ),
    "too_long": (
        "is {length} characters, the screen shows at most {limit}; shorten it",
        "dài {length} ký tự, màn hình chỉ hiện được {limit}; hãy rút gọn",
        "is {length} characters long, the screen shows at most {limit}; please shorten it",
    ),
    "markup": (
        "contains HTML/markup, which is shown as plain text; remove the tags",
        "có thẻ định dạng (HTML) sẽ hiện nguyên văn trên màn hình; hãy xoá các thẻ đó",
        "contains formatting tags (HTML) that would show literally; please remove them",
    ),
    "not_finite": (
        "is not a finite number; enter a number",
        "không phải là một số; hãy nhập số",
        "is not a number; please enter a number",
    ),
    "negative": (
        "is negative; enter a value >= 0",
        "là số âm; hãy nhập số từ 0 trở lên",
        "is negative; please enter 0 or more",
    ),
    "percent_over_100": (
        "is a percentage above 100; enter 0-100",
        "là tỷ lệ phần trăm lớn hơn 100; hãy nhập từ 0 đến 100",
        "is a percentage above 100; please enter 0 to 100",
    ),
    "count_whole": (
        "is {value}, but this indicator counts things; enter a whole number",
        "là {value} nhưng chỉ số này đếm số lượng; hãy nhập số nguyên",
        "is {value}, but this indicator counts things; please enter a whole number",
    ),
    "choice": (
        "'{value}' is not allowed; use one of: {allowed}",
        "không dùng được «{value}»; hãy chọn một trong: {allowed}",
        "'{value}' cannot be used; please choose one of: {allowed}",
    ),
    "year_range": (
        "must be a year within 2000-2100",
        "phải là một năm từ 2000 đến 2100",
        "must be a year from 2000 to 2100",
    ),
    "date_range": (
        "must be a date YYYY-MM-DD within 2000-2100",
        "phải là ngày dạng năm-tháng-ngày (ví dụ 2023-06-15) trong khoảng 2000-2100",
        "must be a date written year-month-day (e.g. 2023-06-15) within 2000-2100",
    ),
    "date_range_or_empty": (
        "must be a date YYYY-MM-DD within 2000-2100 or empty",
        "phải là ngày dạng năm-tháng-ngày (ví dụ 2023-06-15) hoặc để trống",
        "must be a date written year-month-day (e.g. 2023-06-15) or be left empty",
    ),
    "precision_first_day": (
        "precision '{value}' needs the first day of the year/month; fix the date or the precision",
        "độ chính xác «{value}» cần ngày đầu tiên của năm/tháng; hãy sửa ngày hoặc độ chính xác",
        "precision '{value}' needs the first day of the year/month; fix the date or the precision",
    ),
    "image_missing": (
        "file '{value}' not found next to the DB; add it or clear the field",
        "không tìm thấy tệp ảnh «{value}» cạnh cơ sở dữ liệu; hãy thêm ảnh hoặc xoá ô này",
        "the image file '{value}' is not next to the database; add it or clear this cell",
    ),
    "needs_indicators": (
        "needs indicator keys separated by commas",
        "cần mã các chỉ số, cách nhau bằng dấu phẩy",
        "needs the codes of indicators, separated by commas",
    ),
    "unknown_ref": (
        "unknown {what} '{value}'",
        "không có {what_vi} mã «{value}»",
        "there is no {what} with code '{value}'",
    ),
    "rings_not_percent": (
        "'{value}' is not a percentage; rings need percent",
        "«{value}» không phải tỷ lệ phần trăm; trang vòng tròn chỉ dùng tỷ lệ phần trăm",
        "'{value}' is not a percentage; ring slides show percentages only",
    ),
    "slide_shows_nothing": (
        "has nothing to show (no rows to draw); the slide is skipped",
        "không có nội dung nào để hiển thị nên trang này sẽ bị bỏ qua",
        "has nothing to show, so the kiosk skips this slide",
    ),
    "duration_range": (
        f"must be {_LOW:g}-{_HIGH:g} seconds",
        f"phải từ {_LOW:g} đến {_HIGH:g} giây",
        f"must be {_LOW:g} to {_HIGH:g} seconds",
    ),
    "from_after_until": (
        "is after show_until; swap or fix them",
        "sau ngày «Hiện đến ngày»; hãy đổi chỗ hoặc sửa lại",
        "is after “Show until”; swap or correct them",
    ),
    "unknown_category": (
        "unknown category '{value}'; use one of {allowed} or add it to categories",
        "không có nhóm «{value}»; hãy chọn một trong: {allowed}, hoặc thêm nhóm này"
        " (tên tiếng Việt, tên tiếng Anh và màu) vào bảng nhóm mốc sự kiện",
        "there is no category '{value}'; choose one of: {allowed}, or add it (Vietnamese"
        " name, English name and colour) to the milestone categories",
    ),
    "color_format": (
        "'{value}' is not a colour like #F472B6",
        "«{value}» không phải mã màu; hãy viết dạng #F472B6",
        "'{value}' is not a colour; please write it like #F472B6",
    ),
    "category_twice": (
        "category '{value}' is listed twice (case does not count)",
        "nhóm «{value}» có hai lần (chữ hoa hay thường đều tính là một)",
        "category '{value}' is listed twice (capitals do not make it different)",
    ),
    "empty_db": (
        "the content DB has no rows at all; the kiosk would show only its holding screen",
        "cơ sở dữ liệu không có nội dung nào; màn hình sẽ chỉ hiện trang chờ",
        "the database has no content at all; the screen would show only its waiting page",
    ),
    # reading a file (import)
    "not_a_number": (
        "must be a number, got '{value}'; write it like {example}",
        "«{value}» không phải là số; hãy nhập số, ví dụ {example}",
        "'{value}' is not a number; please enter a number such as {example}",
    ),
    "ambiguous_number": (
        "'{value}' could be {first} or {second}; write {first} or {second} (no thousands "
        "separator, '.' for decimals), or declare the number style (vi or en)",
        "«{value}» có thể là {first} hoặc {second}; hãy viết {first} hoặc {second} (không "
        "dùng dấu phân cách hàng nghìn, dấu chấm cho phần thập phân), hoặc chọn kiểu viết số",
        "'{value}' could mean {first} or {second}; write {first} or {second} (no thousands "
        "separator, '.' for decimals), or choose how numbers are written",
    ),
    "number_style": (
        "'{value}' is not a number written the {style} way ({style_example}); write {hint}",
        "«{value}» không đúng kiểu viết số đã chọn ({style_example}); hãy viết {hint}",
        "'{value}' is not written the chosen way ({style_example}); please write {hint}",
    ),
    "whole_number": (
        "must be a whole number, got '{value}'",
        "phải là số nguyên, không phải «{value}»",
        "must be a whole number, not '{value}'",
    ),
    "percent_sign": (
        "'{value}' has a % sign but this is not a percentage; write the number only",
        "«{value}» có dấu % nhưng đây không phải tỷ lệ phần trăm; chỉ ghi số",
        "'{value}' has a % sign but this is not a percentage; write the number only",
    ),
    "bad_date": (
        "'{value}' is not a date; write it year-month-day, e.g. 2023-06-15",
        "«{value}» không phải là ngày; hãy viết năm-tháng-ngày, ví dụ 2023-06-15",
        "'{value}' is not a date; please write year-month-day, e.g. 2023-06-15",
    ),
    "month_first_date": (
        "'{value}' is not day/month/year; write it year-month-day ({iso}?)",
        "«{value}» không theo thứ tự ngày/tháng/năm; hãy viết năm-tháng-ngày (có phải {iso}?)",
        "'{value}' is not day/month/year; please write year-month-day (did you mean {iso}?)",
    ),
    "date_time": (
        "'{value}' has a time of day; write the date only, year-month-day",
        "«{value}» có cả giờ; hãy chỉ ghi ngày dạng năm-tháng-ngày",
        "'{value}' includes a time of day; please write the date only, year-month-day",
    ),
    "not_text": (
        "{value} is a list or an object, not a text; write the text itself",
        "{value} là một danh sách hoặc đối tượng, không phải văn bản; hãy ghi nội dung chữ",
        "{value} is a list or an object, not a text; please write the text itself",
    ),
    "excel_date_in_text": (
        "Excel turned this text into the date {value}; format the column as Text, type the "
        "value again and save",
        "Excel đã đổi nội dung ô này thành ngày {value}; hãy định dạng cột là Text (Văn bản), "
        "gõ lại giá trị rồi lưu",
        "Excel turned this text into the date {value}; format the column as Text, type the "
        "value again and save",
    ),
    "control_chars": (
        "'{value}' contains invisible control characters (shown as ?); type the text again",
        "«{value}» có ký tự điều khiển không nhìn thấy (hiện là ?); hãy gõ lại nội dung",
        "'{value}' contains invisible control characters (shown as ?); please type it again",
    ),
    "mojibake": (
        "'{value}' is garbled text (the file was saved in the wrong encoding); "
        "in Excel use Save As > 'CSV UTF-8 (Comma delimited)' and import that file",
        "«{value}» bị lỗi phông chữ (tệp được lưu sai bảng mã); trong Excel hãy chọn "
        "Lưu thành > «CSV UTF-8 (Comma delimited)» rồi nhập lại tệp đó",
        "'{value}' is garbled (the file was saved with the wrong encoding); in Excel choose "
        "Save As > 'CSV UTF-8 (Comma delimited)' and import that file",
    ),
    "duplicate_key": (
        "key '{value}' also on row {other_row}; each key once per file",
        "mã «{value}» đã có ở dòng {other_row}; mỗi mã chỉ được xuất hiện một lần",
        "the code '{value}' is also on row {other_row}; each code may appear only once",
    ),
    "key_taken": (
        "key '{value}' is already used by another row",
        "mã «{value}» đã được dùng cho một mục khác; hãy chọn mã khác",
        "the code '{value}' is already used by another item; choose another code",
    ),
    "missing_key": (
        "column 'key' is empty; every row needs a key",
        "cột «Mã» đang trống; dòng nào cũng cần có mã",
        "the “Code” column is empty; every row needs a code",
    ),
    "unknown_column": (
        "unknown column '{value}'; columns are: {allowed}",
        "không có cột «{value}»; các cột được dùng là: {allowed}",
        "there is no column '{value}'; the columns are: {allowed}",
    ),
    "extra_value": (
        "has more values than the header has columns; check the separators",
        "có nhiều ô hơn số cột ở dòng tiêu đề; hãy kiểm tra dấu phân cách",
        "has more cells than the header row has columns; check the separators",
    ),
    "not_null": (
        "cannot be empty for a new row; fill it in",
        "không được để trống ở dòng mới; hãy điền vào",
        "cannot be empty on a new row; please fill it in",
    ),
    # whole-file problems (ImportRefused)
    "file": ("{text}", "{text_vi}", "{text}"),
}

# Whole-file refusals: code -> (English, Vietnamese); the file's name is put in front.
FILE_MESSAGES: dict[str, tuple[str, str]] = {
    "not_found": (
        "file not found; check its name and folder",
        "không tìm thấy tệp; hãy kiểm tra tên và thư mục",
    ),
    "permission": (
        "the kiosk cannot read this file (permission denied); copy it to a shared folder "
        "such as /tmp, or run the command as the file's owner",
        "không có quyền đọc tệp này; hãy chép tệp vào thư mục dùng chung (ví dụ /tmp) "
        "hoặc chạy lệnh bằng tài khoản sở hữu tệp",
    ),
    "unreadable": (
        "cannot be read ({error}); check the file",
        "không đọc được tệp ({error}); hãy kiểm tra lại tệp",
    ),
    "is_folder": (
        "is a folder; give a .csv, .xlsx or .json file, or use a folder import",
        "là một thư mục; hãy chọn tệp .csv, .xlsx hoặc .json",
    ),
    "too_big": (
        "is {size} MB; a content file is at most {limit} MB",
        "nặng {size} MB; tệp nội dung tối đa {limit} MB",
    ),
    "file_type": (
        "only .csv, .xlsx and .json files can be imported",
        "chỉ nhập được tệp .csv, .xlsx và .json",
    ),
    "old_excel": (
        "is an old Excel file (.xls); in Excel use Save As > 'Excel Workbook (.xlsx)' "
        "or 'CSV UTF-8 (Comma delimited)'",
        "là tệp Excel cũ (.xls); trong Excel hãy chọn Lưu thành > «Excel Workbook (.xlsx)» "
        "hoặc «CSV UTF-8 (Comma delimited)»",
    ),
    "encoding": (
        "not UTF-8 text (byte {position}); it is not UTF-8, UTF-16 or Vietnamese "
        "Windows-1258 either: save it as UTF-8 (CSV UTF-8 in Excel)",
        "tệp không phải văn bản UTF-8 (byte {position}) và cũng không phải UTF-16 hay "
        "Windows-1258; hãy lưu lại dạng UTF-8 (trong Excel: «CSV UTF-8 (Comma delimited)»)",
    ),
    "unknown_table": (
        "unknown table '{table}'; name the file (or the sheet) after one of: {allowed}",
        "không biết tệp dùng cho bảng nào («{table}»); hãy đặt tên tệp (hoặc trang tính) "
        "là một trong: {allowed}",
    ),
    "db_changed": (
        "the content changed since this import was checked (someone else saved); check the "
        "file again; nothing changed",
        "nội dung đã bị người khác thay đổi sau khi kiểm tra tệp; hãy kiểm tra lại tệp; "
        "chưa có gì thay đổi",
    ),
    "plan_changed": (
        "the file or the content changed since the import was shown; check it again; "
        "nothing changed",
        "tệp hoặc nội dung đã thay đổi sau khi hiển thị bản xem trước; hãy kiểm tra lại; "
        "chưa có gì thay đổi",
    ),
    "same_table": (
        "the table {table} is also in {other}; import one file per table",
        "bảng {table} cũng có trong {other}; mỗi bảng chỉ nhập từ một tệp",
    ),
    "no_header": (
        "empty file; the first line must name the columns, including 'key'",
        "tệp trống; dòng đầu phải là tên các cột, trong đó có cột «key»",
    ),
    "no_key_column": (
        "the first row has no 'key' column; columns are: {allowed}",
        "dòng đầu không có cột «key»; các cột là: {allowed}",
    ),
    "bad_csv": (
        "is not a well-formed CSV file near line {line} ({error}); open it in Excel and "
        "save it again as 'CSV UTF-8 (Comma delimited)'",
        "tệp CSV bị lỗi gần dòng {line} ({error}); hãy mở bằng Excel và lưu lại dạng "
        "«CSV UTF-8 (Comma delimited)»",
    ),
    "bad_json": (
        "bad JSON at line {line}: {error}",
        "tệp JSON bị lỗi ở dòng {line}: {error}",
    ),
    "json_shape": (
        "JSON must be a list of objects (or {{table, rows}})",
        "tệp JSON phải là một danh sách các đối tượng (hoặc {{table, rows}})",
    ),
    "bad_xlsx": (
        "is not a readable Excel workbook ({error}); open it in Excel and save it again",
        "không mở được bảng tính Excel ({error}); hãy mở bằng Excel và lưu lại",
    ),
}

# What each playlist reference names, for "unknown_ref".
REF_WHAT: dict[str, tuple[str, str]] = {
    "indicator": ("chỉ số", "indicator"),
    "indicator group": ("nhóm chỉ số", "indicator group"),
    "achievement group": ("nhóm thành tích", "achievement group"),
    "quote": ("trích dẫn", "quote"),
    "award": ("giải thưởng", "award"),
    "project": ("dự án", "project"),
}

WHERE_ROW = ("Dòng {row} của tệp {file}", "Row {row} of {file}")
WHERE_KEY = ("{table} «{key}»", "{table} '{key}'")
LEVEL_WORDS = {"error": ("Lỗi", "Error"), "warning": ("Lưu ý", "Warning")}
_LANG_INDEX = {"vi": 0, "en": 1}


def lang_index(lang: str) -> int:
    """0 for Vietnamese, 1 for English; anything else is refused loudly."""
    try:
        return _LANG_INDEX[lang]
    except KeyError:
        raise ValueError(f"language must be 'vi' or 'en', not {lang!r}") from None


def field_label(table: str, field: str, lang: str) -> str:
    """A column's name as staff know it: 'label_vi' -> 'Tên chỉ số (tiếng Việt)'."""
    i = lang_index(lang)
    base, code = split_lang(field)
    suffix = LANGUAGE_SUFFIX[code][i] if code else ""
    label = TABLE_FIELD_LABELS.get((table, base)) or FIELD_LABELS.get(base)
    return (label[i] if label else field) + suffix


def table_name(table: str, lang: str) -> str:
    names = TABLE_NAMES.get(table)
    return names[lang_index(lang)] if names else table
