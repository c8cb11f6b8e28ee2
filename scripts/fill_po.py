"""Fill empty msgstr entries of a .po file from a JSON mapping {msgid: translation}.

Usage: python scripts/fill_po.py path/to/django.po translations.json
Only entries whose msgstr is empty or marked fuzzy are filled; other translations are kept.
Fuzzy entries are unmarked when filled. Prints the msgids still untranslated.
"""

import json
import re
import sys
from pathlib import Path


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _unquote(lines: str) -> str:
    raw = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', lines))
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), raw)


def fill(po_path: str, mapping: dict[str, str]) -> list[str]:
    text = Path(po_path).read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    missing = []
    for index, block in enumerate(blocks):
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if not match:
            continue
        msgid = _unquote(match.group(1))
        msgstr = _unquote(match.group(2))
        if not msgid:
            continue
        if msgstr and "fuzzy" not in block.split("msgid")[0]:
            continue
        if msgid in mapping:
            new = block[: match.start(2)] + _quote(mapping[msgid]) + block[match.end(2):]
            new = new.replace("#, fuzzy\n", "").replace(", fuzzy", "")
            if not new.endswith("\n") and block.endswith("\n"):
                new += "\n"
            blocks[index] = new.rstrip("\n") if not block.endswith("\n") else new
        else:
            missing.append(msgid)
    Path(po_path).write_text("\n\n".join(blocks), encoding="utf-8")
    return missing


if __name__ == "__main__":
    left = fill(sys.argv[1], json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
    for msgid in left:
        print("untranslated:", msgid)
