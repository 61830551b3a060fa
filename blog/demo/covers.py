"""Cover images for the demo articles, drawn here rather than shipped: flat
landscapes of a sky, a sun and ridges, each described for people who cannot
see them. They go through the same upload path as an author's photo (checked,
resized into copies)."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw

from blog.articles.uploads import save_upload
from blog.models import Article, Upload, User

SIZE = (1600, 900)
Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Scene:
    sky_top: Colour
    sky_horizon: Colour
    sun: Colour
    ridges: tuple[Colour, ...]  # farthest first
    description: str


SCENES = {
    "welcome-to-your-new-blog": Scene(
        sky_top=(28, 46, 94),
        sky_horizon=(246, 173, 104),
        sun=(255, 226, 160),
        ridges=((120, 96, 140), (78, 70, 118), (44, 48, 88), (22, 28, 56)),
        description="A pale sun rising behind layered blue and violet hills at dawn",
    ),
    "why-feeds-still-matter": Scene(
        sky_top=(214, 236, 240),
        sky_horizon=(250, 244, 222),
        sun=(255, 250, 235),
        ridges=((150, 190, 180), (92, 150, 140), (46, 108, 104), (20, 66, 70)),
        description="Green ridges fading into a bright morning haze",
    ),
    "a-writing-habit-that-sticks": Scene(
        sky_top=(60, 24, 60),
        sky_horizon=(236, 112, 86),
        sun=(255, 196, 120),
        ridges=((170, 72, 86), (118, 46, 74), (70, 30, 58), (34, 18, 36)),
        description="A low red sun setting over dark crimson mountains",
    ),
}


def add_demo_covers(author: User, articles: list[Article]) -> int:
    """Give the demo articles that have a scene their cover."""
    count = 0
    for article in articles:
        scene = SCENES.get(article.slug)
        if scene is None:
            continue
        article.cover = cover_upload(author, article.slug, scene)
        count += 1
    return count


def cover_upload(author: User, name: str, scene: Scene) -> Upload:
    return save_upload(
        stream=io.BytesIO(drawn(scene, seed=name)),
        original_name=f"{name}.jpg",
        uploader=author,
        alt=scene.description,
    )


def drawn(scene: Scene, seed: str) -> bytes:
    width, height = SIZE
    horizon = int(height * 0.62)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        draw.line(
            [(0, y), (width, y)],
            fill=blend(scene.sky_top, scene.sky_horizon, min(1, y / horizon)),
        )
    sun_x, sun_y, radius = width * 0.68, horizon * 0.45, height * 0.1
    draw.ellipse(
        [sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius], fill=scene.sun
    )
    shapes = random.Random(seed)  # noqa: S311 # a drawing, not a secret
    layers = len(scene.ridges)
    for index, colour in enumerate(scene.ridges):
        base = horizon * 0.55 + (height - horizon * 0.55) * index / layers
        draw.polygon(ridge(shapes, width, height, base, 60 - index * 8), fill=colour)
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=88)
    return output.getvalue()


def ridge(
    shapes: random.Random, width: int, height: int, base: float, amplitude: float
) -> list[tuple[float, float]]:
    """A ridge line from the sum of a few sine waves, closed along the bottom."""
    waves = [
        (shapes.uniform(0.5, 3.0), shapes.uniform(0, math.tau), shapes.uniform(0.3, 1))
        for _ in range(3)
    ]
    points = []
    for x in range(0, width + 20, 20):
        offset = sum(
            weight * math.sin(frequency * math.tau * x / width + phase)
            for frequency, phase, weight in waves
        )
        points.append((float(x), base - amplitude * offset))
    return [*points, (float(width), float(height)), (0.0, float(height))]


def blend(start: Colour, end: Colour, amount: float) -> Colour:
    r, g, b = (round(a + (z - a) * amount) for a, z in zip(start, end, strict=True))
    return (r, g, b)
