"""A zip from outside goes through one gate, for import-export and restore
alike (blog/moving/archives.py): the same members, and the same zip bombs,
are refused by both before anything is unpacked."""

from __future__ import annotations

import stat
import warnings
import zipfile
from pathlib import Path

import pytest
from flask import Flask

from blog.moving import archives
from tests.backup_helpers import needs_sqlite
from tests.conftest import TEST_DATABASE_URL

MANIFEST = b'{"format": "blog-export", "version": 1}'


def zip_with(path: Path, name: str, mode: int = 0o644, *, twice: bool = False) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", MANIFEST)
        member = zipfile.ZipInfo(name)
        member.external_attr = mode << 16
        archive.writestr(member, b"content")
        if twice:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # zipfile warns of the twin
                archive.writestr(member, b"other content")
    return path


HOSTILE = {
    "a newline in a name": ("uploads/a\nb.png", stat.S_IFREG | 0o644, False, "unsafe"),
    "a control character": ("articles/\x1bx.md", stat.S_IFREG | 0o644, False, "unsafe"),
    "a name not in its normal form": ("articles//x.md", 0o644, False, "unsafe"),
    "a dot folder": ("./articles/x.md", 0o644, False, "unsafe"),
    "a named pipe": ("uploads/pipe.png", stat.S_IFIFO | 0o644, False, "plain"),
    "a member held twice": ("articles/x.md", 0o644, True, "twice"),
}
MESSAGES = {
    "unsafe": "the zip holds a member outside its folder, at an unsafe path",
    "plain": "which is not a plain file",
    "twice": "holds 'articles/x.md' twice",
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_import_export_refuses_what_restore_refuses(app, tmp_path, case) -> None:
    name, mode, twice, problem = HOSTILE[case]
    archive = zip_with(tmp_path / "hostile.zip", name, mode, twice=twice)

    result = app.test_cli_runner().invoke(args=["import-export", str(archive)])

    assert result.exit_code == 1
    assert MESSAGES[problem] in result.output.replace("The zip", "the zip")
    assert list((Path(app.instance_path) / "imports").iterdir()) == []


@needs_sqlite
@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_restore_refuses_what_import_export_refuses(app: Flask, tmp_path, case) -> None:
    name, mode, twice, problem = HOSTILE[case]
    archive = zip_with(tmp_path / "hostile.zip", name, mode, twice=twice)

    result = app.test_cli_runner().invoke(args=["restore", str(archive), "--yes"])

    assert result.exit_code == 1
    assert MESSAGES[problem] in result.output.replace("The zip", "the zip")
    assert "Nothing was changed." in result.output
    assert not list(Path(app.instance_path).glob(".restore-*"))


def test_a_file_and_a_folder_of_the_same_name_are_refused(app, tmp_path) -> None:
    archive = zip_with(tmp_path / "clash.zip", "articles")
    with zipfile.ZipFile(archive, "a") as clash:
        clash.writestr("articles/x.md", b"---\ntitle: X\n---\nText\n")

    result = app.test_cli_runner().invoke(args=["import-export", str(archive)])

    assert result.exit_code == 1
    assert "the zip holds 'articles/x.md' where it also holds a file" in result.output
    assert list((Path(app.instance_path) / "imports").iterdir()) == []


def zeros_zip(path: Path, sizes: dict[str, int]) -> Path:
    """A zip of members full of zeros, a megabyte at a time: small on disk,
    large unpacked."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", MANIFEST)
        for name, size in sizes.items():
            with archive.open(name, "w") as member:
                for start in range(0, size, 2**20):
                    member.write(bytes(min(2**20, size - start)))
    return path


def test_a_zip_bomb_is_refused_by_both_before_anything_is_unpacked(
    app, tmp_path
) -> None:
    bomb = zeros_zip(tmp_path / "bomb.zip", {"uploads/big.png": 50 * 2**20})
    assert bomb.stat().st_size < 100_000
    commands = [["import-export", str(bomb)]]
    if not TEST_DATABASE_URL:  # restore refuses PostgreSQL before it reads
        commands.append(["restore", str(bomb), "--yes"])

    for command in commands:
        result = app.test_cli_runner().invoke(args=command)

        assert result.exit_code == 1
        assert "'uploads/big.png' would unpack to 52.4 MB from" in result.output
        assert "it looks like a zip bomb" in result.output
    assert not list(Path(app.instance_path).rglob("big.png"))
    assert not list(Path(app.instance_path).glob(".restore-*"))


def test_a_zip_whose_members_add_up_to_too_much_is_refused(
    app, tmp_path, monkeypatch
) -> None:
    # The margin is 1 GB; without it, the limit is ten times the zip's size.
    monkeypatch.setattr(archives, "UNPACKED_MARGIN", 0)
    small = {f"uploads/{number}.png": 900_000 for number in range(5)}
    archive = zeros_zip(tmp_path / "many.zip", small)

    result = app.test_cli_runner().invoke(args=["import-export", str(archive)])

    assert result.exit_code == 1
    assert "the zip would unpack to 4.5 MB, more than the" in result.output
    assert list((Path(app.instance_path) / "imports").iterdir()) == []
