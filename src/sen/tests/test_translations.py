"""The English catalog: complete, faithful to its placeholders, and compiled.

One catalog rules Sen's messages (``src/sen/locale/en``); apps keep none of their own, so
a Vietnamese message cannot have two English wordings. Beside it, a Vietnamese catalog
holds only Django's own messages that Django's Vietnamese leaves untranslated (its admin,
form and password messages, shown on Sen's pages).
"""

import ast
import gettext
import re
import shutil
from pathlib import Path

import django
import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import ngettext

import sen

SRC = Path(sen.__file__).parent
PO = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
DJANGOS_GAPS = SRC / "locale" / "vi" / "LC_MESSAGES" / "django.po"
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


def test_the_only_catalogs_are_the_projects_english_and_djangos_vietnamese_gaps():
    assert sorted(SRC.glob("**/locale/*/LC_MESSAGES/*.po")) == [PO, DJANGOS_GAPS]


def test_the_vietnamese_catalog_holds_only_djangos_own_messages():
    # Sen's messages are Vietnamese already: a second wording here would override them.
    root = Path(django.__file__).parent
    catalogs = [
        root / "conf/locale/en/LC_MESSAGES/django.po",
        *sorted(root.glob("contrib/*/locale/en/LC_MESSAGES/django.po")),
    ]
    djangos = {e["msgid"] for po in catalogs for e in entries_of(po)}
    gaps = entries_of(DJANGOS_GAPS)

    assert len(gaps) > 100
    assert [e["msgid"] for e in gaps if e["msgid"] not in djangos] == []
    assert [e["msgid"] for e in gaps if not all(e["msgstr"]) or "fuzzy" in e["flags"]] == []


# Django's words, held apart so that extracting Sen's messages does not take them for Sen's.
ADMIN_SUMMARY = ("Please correct the error below.", "Please correct the errors below.")
TOO_MANY_FORMS = ("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.")


def test_djangos_password_and_form_messages_read_in_vietnamese():
    with translation.override("vi"):
        with pytest.raises(ValidationError) as short:
            password_validation.validate_password("k7!Q")
        summary = ngettext(*ADMIN_SUMMARY, 2)
        forms = ngettext(*TOO_MANY_FORMS, 3)

    assert "Mật khẩu này quá ngắn: phải có ít nhất 8 ký tự." in short.value.messages
    assert summary == "Hãy sửa các lỗi dưới đây."
    assert forms % {"num": 3} == "Hãy gửi tối đa 3 biểu mẫu."


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


@pytest.mark.parametrize("po", [PO, DJANGOS_GAPS], ids=["en", "vi"])
def test_the_compiled_catalog_matches_the_source(po):
    """Given the .po, the .mo Django reads holds the same text (compilemessages was run)."""
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in entries_of(po):
        context = e.get("msgctxt")
        if "msgid_plural" in e and context:
            got = [compiled.npgettext(context, e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
        elif "msgid_plural" in e:
            got = [compiled.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
        elif context:
            got = [compiled.pgettext(context, e["msgid"])]
        else:
            got = [compiled.gettext(e["msgid"])]
        # Vietnamese has one form where English has two: it answers both counts alike.
        expected = e["msgstr"] * len(got) if len(e["msgstr"]) == 1 else e["msgstr"]
        if got != expected:
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
