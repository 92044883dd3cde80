"""The English catalog: complete, faithful to its placeholders, and compiled.

One catalog rules (``src/sen/locale``); apps keep none of their own, so a Vietnamese
message cannot have two English wordings.
"""

import ast
import gettext
import re
import shutil
from pathlib import Path

from django.core.management import call_command

import sen

SRC = Path(sen.__file__).parent
PO = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-z]|%%")


def entries() -> list[dict]:
    """Return the catalog's entries (the header left out): flags, msgid, plural, msgstrs."""
    return entries_of(PO)


def entries_of(po: Path) -> list[dict]:
    """Return the entries of the catalog ``po``, as ``entries`` does."""
    result: list[dict] = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        if not lines or all(line.startswith("#~") for line in lines):
            continue
        entry: dict = {"flags": set()}
        key = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] = entry.get(key, "") + ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                entry[key] = ast.literal_eval(value)
        entry["msgstr"] = [entry.pop(k) for k in sorted(entry) if k.startswith("msgstr")]
        if entry.get("msgid"):
            result.append(entry)
    return result


def test_the_only_catalog_is_the_projects():
    assert sorted(SRC.glob("**/locale/*/LC_MESSAGES/*.po")) == [PO]


def test_every_message_is_translated_and_none_is_fuzzy():
    catalog = entries()
    assert len(catalog) > 1000
    assert [e["msgid"] for e in catalog if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in catalog if not all(e["msgstr"])] == []


def test_translations_keep_the_placeholders_of_the_vietnamese():
    wrong = [
        (e["msgid"], text)
        for e in entries()
        if "python-format" in e["flags"]
        for text in e["msgstr"]
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(e["msgid"]))
    ]
    assert wrong == []


def test_the_compiled_catalog_matches_the_source():
    """Given the .po, the .mo Django reads holds the same English (compilemessages was run)."""
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in entries():
        context = e.get("msgctxt")
        if "msgid_plural" in e and context:
            got = [compiled.npgettext(context, e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
        elif "msgid_plural" in e:
            got = [compiled.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
        elif context:
            got = [compiled.pgettext(context, e["msgid"])]
        else:
            got = [compiled.gettext(e["msgid"])]
        if got != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == []


def test_the_catalog_holds_every_message_of_the_code_and_templates(tmp_path, monkeypatch):
    """A message added to the code but never extracted (``makemessages``) passes the tests
    above and ships in Vietnamese to English readers. Extract again from a copy of the
    sources: nothing may be new."""
    copy = tmp_path / "sen"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], verbosity=0)

    extracted = {e["msgid"] for e in entries_of(copy / "locale/en/LC_MESSAGES/django.po")}
    committed = {e["msgid"] for e in entries()}
    assert sorted(extracted - committed) == []
