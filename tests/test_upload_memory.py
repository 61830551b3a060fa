"""Uploads within a memory budget: an image that asks for far more memory than
its file size never grows the web worker, and is converted to 8 bits a
channel or refused with a reason."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest
from PIL import Image

from blog.articles.uploads import IMAGE_PROCESS
from blog.extensions import db
from blog.models import Role, Upload
from tests.test_uploads import upload

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def sixteen_bit_rgba_png(width: int, height: int) -> bytes:
    """A valid PNG of 16-bit RGBA pixels, all transparent black: about 194 KB
    for 5000 × 5000, 100 MB once decoded. Pillow cannot write 16-bit colour,
    so the chunks are built here."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        checksum = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", checksum)
        )

    header = struct.pack(">IIBBBBB", width, height, 16, 6, 0, 0, 0)
    row = b"\x00" * (1 + width * 8)
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height))
    pixels += compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def test_a_16_bit_png_is_stored_as_8_bit(app, client_as) -> None:
    author_client, _ = client_as(Role.AUTHOR)

    response = upload(author_client, sixteen_bit_rgba_png(40, 30), "deep.png")

    assert response.status_code == 303
    with app.app_context():
        stored = db.session.scalar(db.select(Upload))
        assert (stored.width, stored.height) == (40, 30)
        path = Path(app.instance_path) / "uploads" / stored.filename
    data = path.read_bytes()
    assert data[24] == 8  # the PNG header's bit depth
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == "RGBA"


def test_an_image_too_large_to_decode_is_refused_before_decoding(
    app, client_as
) -> None:
    app.config["UPLOAD_MAX_DECODED_BYTES"] = 32 * MIB
    author_client, _ = client_as(Role.AUTHOR)

    response = upload(author_client, sixteen_bit_rgba_png(5000, 5000), "bomb.png")

    assert response.status_code == 400
    assert "5000 × 5000 pixels, 95 MB once decoded; the limit is 32 MB" in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Upload.id))) == 0


def test_the_decoding_process_is_held_to_its_memory_ceiling() -> None:
    """Under a 64 MB address-space ceiling the 100 MB image cannot be decoded:
    the process says so instead of taking the memory."""
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            str(IMAGE_PROCESS),
            "25000000",
            str(512 * MIB),
            str(64 * MIB),
        ],
        input=sixteen_bit_rgba_png(5000, 5000),
        capture_output=True,
        check=False,
    )

    assert result.returncode == 2
    assert b"more memory to process than the blog allows" in result.stdout


# Runs in a fresh interpreter so that its peak memory is the upload's alone,
# not whatever the test session reached before.
WORKER = textwrap.dedent(
    """
    import resource, sys
    from blog import create_app
    from blog.articles.uploads import processed_image
    from tests.test_upload_memory import sixteen_bit_rgba_png
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1]})
    png = sixteen_bit_rgba_png(5000, 5000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with app.app_context():
        image = processed_image(png)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(image.format, image.width, image.height, image.data[24],
          before // 1024, after // 1024, child // 1024)
    """
)


def test_the_web_worker_does_not_grow_while_a_huge_image_is_converted(
    tmp_path: Path,
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", WORKER, str(tmp_path / "blog.db")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )

    fields = result.stdout.split()
    image_format, width, height, depth = fields[:4]
    before_mib, after_mib, child_mib = (int(value) for value in fields[4:])
    assert (image_format, width, height, depth) == ("PNG", "5000", "5000", "8")
    # The worker's own peak does not move (a gunicorn worker idles at ~75 MB).
    assert after_mib - before_mib < 5, result.stdout
    # The decoding itself happened, in the child, within its ceiling.
    assert 95 < child_mib < 512, result.stdout


# The same checks in this process, where coverage sees them (the app runs
# image_process.py as a child, which coverage does not follow).
def run_process(data: bytes, max_decoded: int = 512 * MIB) -> tuple[dict, bytes]:
    """The result line and the stored image (its copies aside)."""
    from blog.articles import image_process

    result, files = image_process.process(data, 25_000_000, max_decoded)
    return result, files[0]


def image_bytes(mode: str, image_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (8, 6)).save(buffer, format=image_format, **options)
    return buffer.getvalue()


def test_a_plain_image_is_kept_byte_for_byte() -> None:
    original = image_bytes("RGB", "PNG")

    result, output = run_process(original)

    assert (result["format"], result["width"], result["height"]) == ("PNG", 8, 6)
    assert output == original


def test_16_bit_grey_is_scaled_to_8_bits_not_clipped() -> None:
    buffer = io.BytesIO()
    Image.new("I;16", (4, 4), 40000).save(buffer, format="PNG")

    _, output = run_process(buffer.getvalue())

    with Image.open(io.BytesIO(output)) as image:
        assert image.mode == "L"
        assert image.getpixel((0, 0)) == 40000 // 256


def test_a_photo_loses_its_exif_when_processed() -> None:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    original = image_bytes("RGB", "JPEG", exif=exif.tobytes())

    _, output = run_process(original)

    with Image.open(io.BytesIO(output)) as image:
        assert not image.getexif()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not an image at all", "not a PNG, JPEG, GIF or WebP"),
        (image_bytes("RGB", "BMP"), "not a PNG, JPEG, GIF or WebP"),
        (image_bytes("RGB", "PNG")[:40], "not a PNG, JPEG, GIF or WebP"),
    ],
)
def test_what_is_no_allowed_image_is_refused(data: bytes, message: str) -> None:
    from blog.articles.image_process import Refused

    with pytest.raises(Refused, match=message):
        run_process(data)


def test_the_decoded_size_is_checked_from_the_header(tmp_path: Path) -> None:
    from blog.articles.image_process import Refused

    with pytest.raises(Refused, match="the limit is 0 MB"):
        run_process(sixteen_bit_rgba_png(600, 600), max_decoded=1)
