"""Image uploads: decoded to be believed, stored privately, served truthfully."""

from __future__ import annotations

import io
import re

from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from blog.extensions import db
from blog.models import Role, Upload


def png_bytes(size: tuple[int, int] = (3, 2)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(client, data: bytes, name: str):  # noqa: ANN201
    return client.post(
        "/studio/uploads",
        data={"image": (io.BytesIO(data), name), "alt": "A red square"},
        content_type="multipart/form-data",
    )


def test_a_png_uploads_and_is_served_back_byte_for_byte(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    original = png_bytes()

    response = upload(author_client, original, "../../etc/red square.png")

    assert response.status_code == 303
    page = author_client.get("/studio/uploads").text
    path = re.search(r"!\[[^\]]*\]\((/uploads/[0-9a-f]{32}\.png)\)", page).group(1)
    served = app.test_client().get(path)
    assert served.status_code == 200
    assert served.mimetype == "image/png"
    assert served.data == original
    served.close()
    with app.app_context():
        stored = db.session.scalar(db.select(Upload))
        assert (stored.width, stored.height, stored.size) == (3, 2, len(original))
        assert stored.original_name == "etc_red_square.png"  # no path survives


def test_a_text_file_named_png_is_refused_and_not_stored(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)

    response = upload(author_client, b"just some text, honestly", "photo.png")

    assert response.status_code == 400
    assert "not a PNG, JPEG, GIF or WebP image" in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Upload.id))) == 0


def test_a_truncated_image_is_refused(client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    response = upload(author_client, png_bytes((50, 50))[:60], "cut.png")
    assert response.status_code == 400


def test_a_six_megabyte_file_gets_the_413_page(client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    # Encoded in memory: the test client would spool a large body to a
    # temporary file that nothing closes once the app refuses the request.
    image = FileStorage(io.BytesIO(b"\0" * 6_000_000), "big.png")
    boundary, body = encode_multipart({"image": image})
    response = author_client.post(
        "/studio/uploads",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert "Too large" in response.text


def test_readers_cannot_upload(client_as) -> None:
    reader, _ = client_as(Role.READER)
    assert upload(reader, png_bytes(), "x.png").status_code == 403


def jpeg_with_location() -> bytes:
    exif = Image.Exif()
    exif[0x0110] = "SecretPhoneModel"  # camera model
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}  # GPS latitude
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 120, 200)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_private_metadata_is_removed_from_uploaded_photos(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)
    original = jpeg_with_location()
    assert b"SecretPhoneModel" in original

    assert upload(author_client, original, "holiday.jpg").status_code == 303

    with app.app_context():
        stored = db.session.scalar(db.select(Upload))
    served = app.test_client().get(f"/uploads/{stored.filename}")
    assert served.mimetype == "image/jpeg"
    assert b"SecretPhoneModel" not in served.data
    assert Image.open(io.BytesIO(served.data)).getexif() == {}
    served.close()


def test_authors_see_only_their_own_uploads(app, client_as) -> None:
    alice, _ = client_as(Role.AUTHOR)
    bob, _ = client_as(Role.AUTHOR)
    editor, _ = client_as(Role.EDITOR)
    upload(alice, png_bytes(), "embargoed-logo.png")

    assert "embargoed-logo.png" not in bob.get("/studio/uploads").text
    assert "embargoed-logo.png" in editor.get("/studio/uploads").text
