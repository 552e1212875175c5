"""Excel error values (#REF!, #DIV/0!, #N/A…) in an .xlsx sheet, by cell.

python-calamine gives an error cell as an empty string, so a commune's broken formula would vanish
from its totals unseen. The safety check notes which sheet parts hold ``t="e"`` cells while it
inflates them; only those parts are read again here, and the error texts are put back in the grid
(``read.Workbook.grid``) for normalization to report them ("excel-error").
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")


def error_cells(path: Path, parts: frozenset[str]) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name → {(0-based row, 0-based column): error text} for the sheet ``parts`` given."""
    out: dict[str, dict[tuple[int, int], str]] = {}
    with zipfile.ZipFile(path) as zf:
        names = _sheet_names(zf)
        for part in sorted(parts):
            cells = {}
            for m in _CELL.finditer(zf.read(part)):
                attrs = m.group(1)
                if b't="e"' not in attrs:
                    continue
                ref = _REF.search(attrs)
                value = _VALUE.search(m.group(2) or b"")
                if ref is None:
                    continue
                text = value.group(1).decode("utf-8", "replace").strip() if value else "#N/A"
                cells[(int(ref.group(2)) - 1, _column(ref.group(1).decode()))] = text or "#N/A"
            if cells and part in names:
                out[names[part]] = cells
    return out


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet part path → sheet name, from xl/workbook.xml and its relationships."""
    try:
        book, rels = zf.read("xl/workbook.xml"), zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for m in _REL.finditer(rels):
        attrs = dict(_ATTR.findall(m.group(1)))
        target = attrs.get(b"Target", b"").decode()
        targets[attrs.get(b"Id", b"").decode()] = (target.lstrip("/") if target.startswith("/")
                                                   else posixpath.normpath("xl/" + target))
    out = {}
    for m in _SHEET.finditer(book):
        attrs = {k.split(b":")[-1] if k != b"r:id" else k: v for k, v in _ATTR.findall(m.group(1))}
        rid = next((v for k, v in _ATTR.findall(m.group(1)) if k.endswith(b":id")), b"").decode()
        name = attrs.get(b"name", b"").decode()
        if rid in targets and name:
            out[targets[rid]] = _unescape(name)
    return out


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))
