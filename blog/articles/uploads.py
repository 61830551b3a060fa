"""Image uploads: checked by decoding them, stored under a random name."""

from __future__ import annotations

import secrets
import warnings
from io import BytesIO
from pathlib import Path
from typing import IO

from flask import current_app
from werkzeug.utils import secure_filename

from blog.database import write_transaction
from blog.errors import InvalidInput
from blog.extensions import db
from blog.models import Upload, User

# Pillow's format name → (extension, the content type we serve it with).
IMAGE_FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
MAX_PIXELS = 25_000_000  # refuse decompression bombs long before memory runs out
# Image metadata that says nothing about the person: anything else (EXIF with
# its GPS position and camera serial, XMP, comments, PNG text) is removed.
HARMLESS_INFO = {"dpi", "gamma", "transparency", "srgb", "icc_profile", "aspect",
                 "jfif", "jfif_version", "jfif_unit", "jfif_density", "progressive",
                 "progression", "adobe", "adobe_transform", "duration", "loop",
                 "background", "version", "extension", "interlace", "chromaticity",
                 "lossless"}  # fmt: skip
REFUSED = "This file is not a PNG, JPEG, GIF or WebP image."


def uploads_folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_upload(*, stream: IO[bytes], original_name: str, uploader: User) -> Upload:
    """Keep an image whose bytes decode as one of the allowed formats, whatever
    its name says; anything else is refused with a message and not stored."""
    data = stream.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)
    if len(data) > current_app.config["UPLOAD_MAX_BYTES"]:
        limit_mb = current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)
        raise InvalidInput(f"An image may be at most {limit_mb} MB.")
    image_format, width, height = inspect_image(data)
    data = without_private_metadata(data, image_format)
    extension, content_type = IMAGE_FORMATS[image_format]
    filename = f"{secrets.token_hex(16)}.{extension}"
    (uploads_folder() / filename).write_bytes(data)
    upload = Upload(
        filename=filename,
        original_name=(secure_filename(original_name) or "image")[:255],
        content_type=content_type,
        size=len(data),
        width=width,
        height=height,
        uploader=uploader,
    )
    with write_transaction():
        db.session.add(upload)
    return upload


def without_private_metadata(data: bytes, image_format: str) -> bytes:
    """The image as uploaded when it carries no private metadata (so a plain
    file is stored byte for byte); otherwise re-encoded without it, turned
    upright first as its EXIF orientation said. Animated GIFs are kept."""
    from PIL import Image, ImageOps  # only authors upload: spare readers' workers

    with Image.open(BytesIO(data)) as image:
        private = set(image.info) - HARMLESS_INFO
        if not private or image_format == "GIF":
            return data
        upright = ImageOps.exif_transpose(image)
        output = BytesIO()
        options = {"icc_profile": image.info.get("icc_profile")}
        if image_format in ("JPEG", "WEBP"):
            options["quality"] = 92
        upright.save(output, format=image_format, **options)
    return output.getvalue()


def inspect_image(data: bytes) -> tuple[str, int, int]:
    """The format and size of an image, decoded in full; InvalidInput if the
    bytes are not a whole image of an allowed format."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                image_format, size = image.format, image.size
                if image_format not in IMAGE_FORMATS:
                    raise InvalidInput(REFUSED)
                if size[0] * size[1] > MAX_PIXELS:
                    raise InvalidInput("This image has too many pixels.")
                image.load()  # decode every byte: a truncated file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise InvalidInput(REFUSED) from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise InvalidInput("This image has too many pixels.") from error
    return image_format, size[0], size[1]
