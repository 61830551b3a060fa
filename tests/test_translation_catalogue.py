"""The French catalogue is complete and current: every string the code and
the templates hand to gettext is translated (none fuzzy, none missing, none
left over), the compiled .mo says what the .po says, and a translation keeps
its placeholders and markup. `pybabel compile --statistics` agrees."""

from __future__ import annotations

import re
import shutil
import subprocess  # nosec B404 # runs pybabel, as `make messages` does
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from blog.config import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "blog" / "translations"
PYBABEL = Path(sys.executable).with_name("pybabel")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
TRANSLATED = [language for language in LANGUAGES if language != "en"]


def catalogue_path(language: str, suffix: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / f"messages.{suffix}"


def read_catalogue(language: str) -> Catalog:
    with catalogue_path(language, "po").open("rb") as file:
        return read_po(file, locale=language)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalog:
    """What `make messages` extracts from the code and templates today."""
    template = tmp_path_factory.mktemp("messages") / "messages.pot"
    subprocess.run(  # noqa: S603 # our own pybabel, fixed arguments
        [
            str(PYBABEL),
            "-q",
            "extract",
            # Not Babel's default, which skips every folder named _*
            # (templates/_macros).
            "--ignore-dirs",
            ".* __pycache__",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(template),
            ".",
        ],  # fmt: skip
        cwd=ROOT,
        check=True,
    )
    with template.open("rb") as file:
        return read_po(file)


def ids(catalogue: Catalog) -> set[str]:
    return {message_key(message) for message in catalogue if message.id}


def message_key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def translations_of(catalogue: Catalog) -> dict[tuple[str, str | None], list[str]]:
    return {
        (message_key(message), message.context): forms(message.string)
        for message in catalogue
        if message.id and not message.fuzzy
    }


def forms(value: str | tuple[str, ...] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_the_blog_shows_is_translated(extracted, language) -> None:
    catalogue = read_catalogue(language)
    missing = ids(extracted) - ids(catalogue)
    assert not missing, f"run `make messages` and translate: {sorted(missing)[:20]}"
    untranslated = [
        message_key(message)
        for message in catalogue
        if message.id and (message.fuzzy or not all(forms(message.string)))
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_translation_is_left_for_a_string_the_blog_no_longer_shows(
    extracted, language
) -> None:
    assert ids(read_catalogue(language)) - ids(extracted) == set()


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_translation_keeps_its_placeholders_and_markup(language) -> None:
    for message in read_catalogue(language):
        if not message.id:
            continue
        source = " ".join(forms(message.id))
        for translation in forms(message.string):
            assert set(PLACEHOLDER.findall(translation)) <= set(
                PLACEHOLDER.findall(source)
            ), message.id
            assert sorted(TAG.findall(translation)) == sorted(
                TAG.findall(forms(message.id)[0])
            ), message.id


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_the_source_compiled(language) -> None:
    with catalogue_path(language, "mo").open("rb") as file:
        compiled = read_mo(file)
    source = read_catalogue(language)
    assert translations_of(compiled) == translations_of(source), (
        "run `make translations`"
    )


def test_pybabel_reports_nothing_untranslated(tmp_path) -> None:
    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, copy)
    result = subprocess.run(  # noqa: S603 # our own pybabel, fixed arguments
        [str(PYBABEL), "compile", "--statistics", "-d", str(copy)],
        capture_output=True,
        text=True,
        check=True,
    )
    report = result.stdout + result.stderr
    counts = re.findall(r"(\d+) of (\d+) messages \((\d+)%\) translated", report)
    assert len(counts) == len(TRANSLATED), report
    assert all(done == total for done, total, _percent in counts), report
    assert "fuzzy" not in report and "untranslated" not in report, report
