"""A zip from outside goes through one gate, for import-export and restore
alike (blog/moving/archives.py): the same members are refused by both,
before anything is unpacked."""

from __future__ import annotations

import stat
import warnings
import zipfile
from pathlib import Path

import pytest
from flask import Flask

from tests.backup_helpers import needs_sqlite

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
