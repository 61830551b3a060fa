"""The house rules a reader of the code can rely on, checked on the source.

Each rule here is one a newcomer could break without any page failing at
once: a module grown past what one can read in a sitting, a reach into a
library's private attributes (which an upgrade breaks silently), a commit
outside the one write path, the core package importing its satellites.
"""

from __future__ import annotations

import ast
import importlib
import os
import re
import subprocess  # nosec B404 # runs our own interpreter
import sys
from pathlib import Path

import pytest
from flask_caching.backends.base import BaseCache

from blog.cache.backend import BoundedCache
from blog.cache.store import backend_of
from blog.extensions import cache

PACKAGE = Path(__file__).resolve().parent.parent / "blog"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 300


def relative(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def imported_modules(path: Path) -> set[str]:
    """What a module imports at its top level (not inside functions)."""
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", MODULES, ids=relative)
def test_no_module_is_longer_than_a_sitting(path) -> None:
    assert len(path.read_text().splitlines()) <= MAX_LINES


def test_no_code_reaches_into_another_object_s_private_attributes() -> None:
    private = re.compile(r"(?<![\w])(?!self\.|cls\.)(\w+)\.(_[a-z]\w*)")
    found = [
        f"{relative(path)}:{number}: {line.strip()}"
        for path in MODULES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if (match := private.search(line)) and match.group(1) not in ("self", "cls")
    ]
    assert found == []


def test_only_the_write_path_commits() -> None:
    committing = [
        relative(path)
        for path in MODULES
        if ".commit()" in path.read_text() and path.name != "database.py"
    ]
    assert committing == []


def test_the_core_does_not_import_its_satellites() -> None:
    core = [*(PACKAGE / "articles").glob("*.py"), *(PACKAGE / "models").glob("*.py")]
    for path in core:
        satellites = {
            name
            for name in imported_modules(path)
            if name.startswith(("blog.comments", "blog.feeds", "blog.studio"))
        }
        assert satellites == set(), relative(path)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("__init__.py"))[1:], ids=relative)
def test_package_init_files_only_export(path) -> None:
    """blog/__init__.py holds create_app; every other package's __init__
    re-exports names and does nothing else."""
    for node in ast.parse(path.read_text()).body:
        is_docstring = isinstance(node, ast.Expr) and isinstance(
            node.value, ast.Constant
        )
        is_all = isinstance(node, ast.Assign) and [
            target.id for target in node.targets if isinstance(target, ast.Name)
        ] == ["__all__"]
        assert isinstance(node, ast.Import | ast.ImportFrom) or is_docstring or is_all


def test_a_renamed_partial_fails_loudly() -> None:
    templates = (PACKAGE / "templates").rglob("*.html")
    assert [t.name for t in templates if "ignore missing" in t.read_text()] == []


# --- The libraries we extend, held to what we rely on ------------------------


def test_flask_caching_keeps_the_backend_where_we_read_it(app) -> None:
    """The middleware reads the backend outside an app context, from the
    registry Flask-Caching fills in init_app."""
    with app.app_context():
        assert backend_of(app) is cache.cache
    assert isinstance(backend_of(app), BoundedCache)
    assert isinstance(backend_of(app), BaseCache)


# --- The bench, which CI does not run -------------------------------------------

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize(
    "module",
    sorted(path.stem for path in BENCH.glob("*.py") if path.stem != "__init__"),
)
def test_every_bench_module_still_imports(module: str) -> None:
    """make bench is run by hand: a name it imports from blog/ and that a
    change removed (first_paragraph_text, once) breaks it silently."""
    importlib.import_module(f"bench.{module}")


def test_a_web_worker_loads_none_of_the_importers_libraries() -> None:
    """The importers, export and backup run as commands: their libraries
    (HTML parsing, XML, zip) would cost every worker memory for nothing."""
    program = (
        "import sys; from blog import create_app; create_app(); "
        "print(sorted(name for name in ('bs4', 'markdownify', 'defusedxml', "
        "'blog.moving.writer', 'blog.moving.wordpress', 'blog.moving.ghost') "
        "if name in sys.modules))"
    )
    loaded = subprocess.run(  # noqa: S603 # our own interpreter and program
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BLOG_SECRET_KEY": "test"},
    ).stdout.strip()
    assert loaded == "[]"
