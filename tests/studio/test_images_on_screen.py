"""A milestone image the studio stored inside the content DB reaches the kiosk's card."""

from __future__ import annotations

import io

from PIL import Image


def test_the_card_loads_a_db_image_and_survives_a_missing_one(qapp, tmp_path, seed_db_path):
    import shutil

    from kiosk.store import load_content
    from kiosk.store.studio_images import store_image
    from kiosk.store.writer import migrate_db
    from kiosk.ui.timeline.card import image_pixmap

    db = tmp_path / "content.db"
    shutil.copy(seed_db_path, db)
    migrate_db(db)
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 60, 40)).save(out, "JPEG")
    value = store_image(db, out.getvalue(), "jpg")
    content = load_content(db)
    pixmap = image_pixmap(content, value)
    assert (pixmap.width(), pixmap.height()) == (300, 200)
    assert image_pixmap(content, "db:missing.jpg").isNull()
