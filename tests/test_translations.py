"""Every UI string has a Dutch translation, and the committed catalogues are compiled."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "werkplek"
CATALOGUES = sorted(SRC.glob("*/locale/nl/LC_MESSAGES/django.po"))


def _entries(po: Path):
    text = po.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        match = re.search(
            r'^msgid ((?:".*"\n?)+)(?:msgid_plural (?:".*"\n?)+)?msgstr(?:\[0\])? ((?:".*"\n?)+)',
            block, re.M,
        )
        if match:
            msgid = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1)))
            msgstr = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(2)))
            yield msgid, msgstr, "fuzzy" in block.split("msgid")[0]


def test_there_are_catalogues():
    assert {po.parts[-5] for po in CATALOGUES} >= {"core", "catalog", "accounts"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_string_has_a_dutch_translation(po):
    missing = [msgid for msgid, msgstr, fuzzy in _entries(po) if msgid and (not msgstr or fuzzy)]
    assert not missing, f"{len(missing)} untranslated or fuzzy in {po}: {missing[:10]}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is installed by CI")
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-5])
def test_compiled_catalogue_is_up_to_date(po, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(po)], check=True)
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        f"{po.with_suffix('.mo')} is stale: run `make messages`"
    )
