"""Decode, check and clean one uploaded image, in a process of its own.

Run as a script (never imported by the app): the upload's bytes on stdin, a
JSON line and the image's bytes on stdout. A crafted image can ask for far
more memory than its file size (a 194 KB PNG of 5000 × 5000 16-bit pixels
decodes to 100 MB); decoding it here, under an address-space ceiling set
before Pillow is imported, means a web worker never grows and an image over
the ceiling fails alone. Only the standard library and Pillow are imported,
so the process starts in a few tens of milliseconds.

It also makes the smaller copies pages serve through srcset: each of
VARIANT_WIDTHS under the image's width (and the image's own width, capped at
the largest), as WebP and, except for GIFs, in the image's own format.

Asked for SQUARES (a comma-separated list of sizes), it also makes square
PNGs cropped from the image's centre, for avatars and the site's icon; when
32 is among them, a favicon.ico (16, 32 and 48 px) too.

Usage: python image_process.py MAX_PIXELS MAX_DECODED_BYTES MEMORY_LIMIT_BYTES [SQUARES]
Exit status 0 with {"format", "width", "height", "variants", "squares",
"sizes"} then the bytes to store: the image, then each variant's WebP and
own-format copy, then each square (then the .ico), their lengths in "sizes";
exit status 2 with {"error": the refusal in English, "reason": its name,
"values": its numbers}: the app says it in the site's language
(blog/articles/uploads.py), this process knowing nothing of the app.
"""

from __future__ import annotations

import json
import resource
import sys
import warnings
from collections.abc import Sequence
from io import BytesIO
from typing import Any

ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
# Image metadata that says nothing about the person: anything else (EXIF with
# its GPS position and camera serial, XMP, comments, PNG text) is removed.
HARMLESS_INFO = {"dpi", "gamma", "transparency", "srgb", "icc_profile", "aspect",
                 "jfif", "jfif_version", "jfif_unit", "jfif_density", "progressive",
                 "progression", "adobe", "adobe_transform", "duration", "loop",
                 "background", "version", "extension", "interlace", "chromaticity",
                 "lossless"}  # fmt: skip
# Modes with more than 8 bits a channel: readers' browsers gain nothing from
# them, and they cost twice the bytes to serve.
WIDE_MODES = {"I", "I;16", "I;16B", "I;16L", "I;16N", "F"}


# The widths pages ask for: a phone's column, a laptop's, and twice each for
# dense screens. An image is never enlarged.
VARIANT_WIDTHS = (480, 800, 1200, 1600)
VARIANT_QUALITY = 80
ORIENTATION_TAG = 0x0112
ICO_SIZES = ((16, 16), (32, 32), (48, 48))


class Refused(Exception):
    """Why an image is not kept: a reason's name and its numbers, said in
    English (REFUSALS) for logs and tests."""

    def __init__(self, reason: str, **values: int) -> None:
        super().__init__(REFUSALS[reason].format(**values))
        self.reason = reason
        self.values = values


REFUSALS = {
    "not_an_image": "This file is not a PNG, JPEG, GIF or WebP image.",
    "too_many_pixels": "This image has too many pixels.",
    "too_large": "This image needs more memory to process than the blog allows.",
    "oversized": (
        "This image is {width} × {height} pixels, {size} MB once decoded; the "
        "limit is {limit} MB. Make it smaller and upload it again."
    ),
}


def main(argv: list[str]) -> int:
    max_pixels, max_decoded_bytes, memory_limit = (int(value) for value in argv[1:4])
    squares = [int(size) for size in argv[4].split(",")] if len(argv) > 4 else []
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    data = sys.stdin.buffer.read()
    try:
        result, output = process(data, max_pixels, max_decoded_bytes, squares)
    except MemoryError:
        return refuse(Refused("too_large"))
    except Refused as refusal:
        return refuse(refusal)
    sys.stdout.buffer.write(json.dumps(result).encode() + b"\n" + b"".join(output))
    return 0


def refuse(refusal: Refused) -> int:
    answer = {"error": str(refusal), "reason": refusal.reason, "values": refusal.values}
    sys.stdout.write(json.dumps(answer) + "\n")
    return 2


def process(
    data: bytes, max_pixels: int, max_decoded_bytes: int, squares: Sequence[int] = ()
) -> tuple[dict[str, Any], list[bytes]]:
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                check_before_decoding(image, max_pixels, max_decoded_bytes)
                image.load()  # decode every byte: a truncated file fails here
                output = cleaned(image, data)
                width, height = upright_size(image)
                image_format = image.format
                variants = resized_copies(image)
                square_files = square_copies(image, squares)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise Refused("too_many_pixels") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise Refused("not_an_image") from error
    widths = sorted(variants)
    files = [output]
    for variant_width in widths:
        files.extend(variants[variant_width])
    files.extend(square_files)
    result = {
        "format": image_format,
        "width": width,
        "height": height,
        "variants": widths,
        "squares": squares,
        "sizes": [len(file) for file in files],
    }
    return result, files


def variant_widths(width: int) -> list[int]:
    return sorted({min(wanted, width) for wanted in VARIANT_WIDTHS})


def resized_copies(image: Any) -> dict[int, list[bytes]]:
    """Width → [WebP bytes, own-format bytes (none for a GIF, none at the
    image's own width)]. An animated
    image keeps only itself: a still copy would drop its motion."""
    if getattr(image, "is_animated", False):
        return {}
    upright = upright_8_bit(image)
    if upright.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = upright.mode in ("P", "PA") and "transparency" in image.info
        upright = upright.convert(
            "RGBA" if has_alpha or upright.mode == "PA" else "RGB"
        )
    copies: dict[int, list[bytes]] = {}
    width, height = upright.size
    for variant_width in variant_widths(width):
        variant_height = max(1, round(height * variant_width / width))
        resized = upright.resize((variant_width, variant_height), reducing_gap=3.0)
        copies[variant_width] = [encoded(resized, "WEBP")]
        # At full width the own-format copy is the image itself.
        if image.format != "GIF" and variant_width < width:
            copies[variant_width].append(encoded(resized, image.format))
    return copies


def square_copies(image: Any, sizes: Sequence[int]) -> list[bytes]:
    """PNGs of each size, cropped square from the image's centre (its first
    frame, if animated), then an .ico when 32 px is asked for."""
    from PIL import ImageOps

    if not sizes:
        return []
    image.seek(0)
    upright = upright_8_bit(image).convert("RGBA")
    side = min(upright.size)
    square = ImageOps.fit(upright, (side, side), centering=(0.5, 0.5))
    copies = []
    for size in sizes:
        copies.append(encoded(square.resize((size, size), reducing_gap=3.0), "PNG"))
    if 32 in sizes:
        output = BytesIO()
        square.resize((48, 48), reducing_gap=3.0).save(
            output, format="ICO", sizes=ICO_SIZES
        )
        copies.append(output.getvalue())
    return copies


def encoded(image: Any, image_format: str) -> bytes:
    output = BytesIO()
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    options: dict[str, Any] = {}
    if image_format in ("JPEG", "WEBP"):
        options["quality"] = VARIANT_QUALITY
    if image_format == "PNG":
        options["optimize"] = True
    image.save(output, format=image_format, **options)
    return output.getvalue()


def check_before_decoding(image: Any, max_pixels: int, max_decoded_bytes: int) -> None:
    """Refuse by the header alone: the format, the pixel count, and the bytes
    the decoded pixels would take, so nothing large is ever allocated."""
    from PIL import Image

    if image.format not in ALLOWED_FORMATS:
        raise Refused("not_an_image")
    width, height = image.size
    if width * height > max_pixels:
        raise Refused("too_many_pixels")
    bytes_per_pixel = max(Image.getmodebands(image.mode), 1) * bytes_per_channel(image)
    decoded_mib = width * height * bytes_per_pixel // (1024 * 1024)
    if width * height * bytes_per_pixel > max_decoded_bytes:
        raise Refused(
            "oversized",
            width=width,
            height=height,
            size=decoded_mib,
            limit=max_decoded_bytes // (1024 * 1024),
        )


def bytes_per_channel(image: Any) -> int:
    if image.mode in WIDE_MODES:
        return 4  # Pillow widens 16-bit grey to 32-bit integers when converting
    return 1


def cleaned(image: Any, data: bytes) -> bytes:
    """The bytes to store: the upload as it came when it is plain 8-bit with
    no private metadata (so it is kept byte for byte); otherwise re-encoded
    in 8 bits a channel, without the metadata, turned upright first as its
    EXIF orientation said. Animated GIFs are kept as they are."""
    private = set(image.info) - HARMLESS_INFO
    wide = image.mode in WIDE_MODES or is_16_bit_png(image, data)
    if image.format == "GIF" or not (private or wide):
        return data
    upright = upright_8_bit(image)
    output = BytesIO()
    options: dict[str, Any] = {"icc_profile": image.info.get("icc_profile")}
    if image.format in ("JPEG", "WEBP"):
        options["quality"] = 92
    upright.save(output, format=image.format, **options)
    return output.getvalue()


def upright_size(image: Any) -> tuple[int, int]:
    """The size once turned as its EXIF orientation says: stored images are
    turned (cleaned() re-encodes any image with EXIF)."""
    width, height = image.size
    quarter_turned = image.getexif().get(ORIENTATION_TAG) in (5, 6, 7, 8)
    return (height, width) if quarter_turned else (width, height)


def upright_8_bit(image: Any) -> Any:
    """Turned as its EXIF orientation says, 8 bits a channel."""
    from PIL import ImageOps

    upright = ImageOps.exif_transpose(image)
    if upright.mode in WIDE_MODES:
        upright = upright.convert("I").point(lambda value: value / 256).convert("L")
    return upright


def is_16_bit_png(image: Any, data: bytes) -> bool:
    """Pillow reads 16-bit colour PNGs as 8-bit already; the header's bit
    depth (byte 24, in IHDR) tells they were stored twice as large."""
    return bool(image.format == "PNG" and len(data) > 24 and data[24] == 16)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
