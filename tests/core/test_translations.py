"""Vietnamese is the source language; English and Chinese must be complete: no message left empty or
fuzzy in the catalogues, the compiled .mo files as fresh as the .po files, and placeholders kept."""

import os
import re
import shutil
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "cuakhau" / "locale"
LANGUAGES = ["en", "zh_Hans"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdf]|\{(\w*)\}")


def _unquote(lines: list[str]) -> str:
    return "".join(eval(line) for line in lines)  # noqa: S307 - .po string literals, from our own repo


def entries(po: Path):
    """(msgid, [msgstr...], fuzzy) for each entry of a .po file, the header skipped."""
    entry: dict = {"flags": "", "msgid": [], "msgstr": {}, "current": None}

    def finish():
        if entry["msgid"] or entry["msgstr"]:
            msgid = _unquote(entry["msgid"])
            if msgid:
                strs = [_unquote(v) for _, v in sorted(entry["msgstr"].items())]
                yield msgid, strs, "fuzzy" in entry["flags"]

    for raw in po.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            yield from finish()
            entry = {"flags": "", "msgid": [], "msgstr": {}, "current": None}
        elif line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural"):
            entry["current"] = None
        elif line.startswith("msgid "):
            entry["current"] = entry["msgid"]
            entry["msgid"].append(line[6:])
        elif line.startswith("msgstr"):
            key, _, value = line.partition(" ")
            entry["msgstr"][key] = [value]
            entry["current"] = entry["msgstr"][key]
        elif line.startswith('"') and entry["current"] is not None:
            entry["current"].append(line)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    found = list(entries(po))
    assert len(found) > 1000
    untranslated = [msgid for msgid, strs, _ in found if not all(strs)]
    fuzzy = [msgid for msgid, _, is_fuzzy in found if is_fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    wrong = []
    for msgid, strs, _ in entries(po):
        wanted = {m.group(0) for m in PLACEHOLDER.finditer(msgid)}
        for text in strs:
            if wanted and not wanted <= {m.group(0) for m in PLACEHOLDER.finditer(text)}:
                wrong.append((msgid, text))
    assert not wrong, f"{len(wrong)} translations lose a placeholder in {language}, e.g. {wrong[:3]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_not_older_than_its_source(language):
    from django.utils.translation import gettext, override

    folder = LOCALE / language / "LC_MESSAGES"
    assert (folder / "django.mo").exists()
    # the last entry of the .po must be in the .mo: a catalogue edited and not compiled fails here
    msgid, strs, _ = list(entries(folder / "django.po"))[-1]
    with override(language.replace("_", "-").lower()):
        assert gettext(msgid) == strs[0]


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext tools not installed")
def test_every_source_message_is_in_the_catalogue(tmp_path):
    """makemessages on a copy of the source finds no message the committed catalogue lacks (a string
    added to a template or a view and not yet translated fails here, naming it)."""
    from django.core.management import call_command

    copy = tmp_path / "cuakhau"
    shutil.copytree(LOCALE.parent, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    here = os.getcwd()
    try:
        os.chdir(copy)
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(here)
    extracted = {msgid for msgid, _, _ in entries(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    committed = {msgid for msgid, _, _ in entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")}
    missing = sorted(extracted - committed)
    assert not missing, (
        f"{len(missing)} messages not in the catalogue (run `make messages`), e.g. {missing[:5]}"
    )
