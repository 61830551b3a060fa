"""Image uploads: checked by decoding them, stored under a random name."""

from __future__ import annotations

import json
import logging
import secrets
import subprocess  # nosec B404 # runs our own image_process.py, never a shell
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from flask import current_app
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from blog.database import write_transaction
from blog.errors import InvalidInput
from blog.extensions import db
from blog.models import Upload, User
from blog.models.upload import ALT_MAX

log = logging.getLogger(__name__)

# Pillow's format name → (extension, the content type we serve it with).
IMAGE_FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
MAX_PIXELS = 25_000_000  # refuse decompression bombs long before memory runs out
IMAGE_PROCESS = Path(__file__).with_name("image_process.py")
IMAGE_PROCESS_TIMEOUT = 20  # seconds; under gunicorn's 30 s worker timeout


def uploads_folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class ProcessedImage:
    format: str
    width: int
    height: int
    data: bytes
    variant_widths: list[int]
    # The smaller copies' bytes, in Upload.variant_files() order.
    variants: list[bytes]
    # The square copies' bytes, in Upload.square_files() order.
    squares: list[bytes]


def file_size(filename: str) -> int:
    """The size of a stored image or copy; 0 when its file is missing (a
    feed still lists the item)."""
    try:
        return (uploads_folder() / filename).stat().st_size
    except OSError:
        log.warning("upload file %s is missing", filename)
        return 0


def save_upload(
    *,
    stream: IO[bytes],
    original_name: str,
    uploader: User,
    alt: str = "",
    squares: tuple[int, ...] = (),
) -> Upload:
    """Keep an image whose bytes decode as one of the allowed formats, whatever
    its name says, with its smaller copies (and square ones of `squares`
    pixels, for an avatar or an icon); anything else is refused with a
    message and not stored."""
    data = stream.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)
    if len(data) > current_app.config["UPLOAD_MAX_BYTES"]:
        limit_mb = current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)
        raise InvalidInput(_("An image may be at most %(limit)s MB.", limit=limit_mb))
    image = processed_image(data, squares)
    extension, content_type = IMAGE_FORMATS[image.format]
    upload = Upload(
        filename=f"{secrets.token_hex(16)}.{extension}",
        original_name=(secure_filename(original_name) or "image")[:255],
        content_type=content_type,
        size=len(image.data),
        width=image.width,
        height=image.height,
        variant_widths=image.variant_widths,
        square_sizes=list(squares),
        alt=alt.strip()[:ALT_MAX],
        uploader=uploader,
    )
    folder = uploads_folder()
    for filename, file_data in zip(
        [upload.filename, *upload.variant_files(), *upload.square_files()],
        [image.data, *image.variants, *image.squares],
        strict=True,
    ):
        (folder / filename).write_bytes(file_data)
    with write_transaction():
        db.session.add(upload)
    return upload


def processed_image(data: bytes, squares: tuple[int, ...] = ()) -> ProcessedImage:
    """An uploaded image decoded in full, cleaned of private metadata and
    resized by image_process.py in a child process under a memory ceiling;
    InvalidInput with the reason otherwise."""
    config = current_app.config
    limits = (
        MAX_PIXELS,
        config["UPLOAD_MAX_DECODED_BYTES"],
        config["UPLOAD_MEMORY_LIMIT"],
    )
    arguments = [str(limit) for limit in limits]
    if squares:
        arguments.append(",".join(map(str, squares)))
    try:
        # Our own script, no shell, arguments we made: nothing a user chose.
        child = subprocess.run(  # nosec B603 # noqa: S603
            [
                sys.executable,
                "-I",
                str(IMAGE_PROCESS),
                *arguments,
            ],
            input=data,
            capture_output=True,
            timeout=IMAGE_PROCESS_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise InvalidInput(_("This image took too long to process.")) from error
    header, _newline, output = child.stdout.partition(b"\n")
    try:
        result = json.loads(header)
    except ValueError:
        # Killed by the ceiling before it could say why (e.g. in the decoder).
        log.warning(
            "image_process failed (%s): %s", child.returncode, child.stderr[-500:]
        )
        raise InvalidInput(too_large()) from None
    if child.returncode != 0 or "error" in result:
        raise InvalidInput(in_site_language(result))
    files, offset = [], 0
    for size in result["sizes"]:
        files.append(output[offset : offset + size])
        offset += size
    variant_count = len(files) - 1 - len(squares) - (32 in squares)
    return ProcessedImage(
        format=result["format"],
        width=result["width"],
        height=result["height"],
        data=files[0],
        variant_widths=result["variants"],
        variants=files[1 : 1 + variant_count],
        squares=files[1 + variant_count :],
    )


def too_large() -> str:
    return _("This image needs more memory to process than the blog allows.")


def in_site_language(answer: dict[str, Any]) -> str:
    """image_process.py's refusal, by its reason's name, in the site's
    language; the child runs without the app and says it in English."""
    values = answer.get("values", {})
    refusals = {
        "not_an_image": lambda: _("This file is not a PNG, JPEG, GIF or WebP image."),
        "too_many_pixels": lambda: _("This image has too many pixels."),
        "too_large": too_large,
        "oversized": lambda: _(
            "This image is %(width)s × %(height)s pixels, %(size)s MB once decoded; "
            "the limit is %(limit)s MB. Make it smaller and upload it again.",
            **values,
        ),
    }
    say = refusals.get(answer.get("reason", ""))
    return say() if say else str(answer.get("error") or too_large())
