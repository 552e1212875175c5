"""Foreign-style files: what lands in input/ besides commune workbooks, made by the project itself.

Each function writes one file (or special file) at ``path`` and returns it. Nothing here is a
third-party file: every byte is generated, so the corpus can be carried and run in CI.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
       '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
       '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
       'PartName="/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
       '.sheet.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
         'officeDocument/2006/relationships/officeDocument" Target="workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                  'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
                  'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                  'Target="sheet1.xml"/></Relationships>')


def _sheet(rows: int = 1, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    data = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, rows + 1))
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main">{dim}<sheetData>{data}</sheetData></worksheet>')


def root_workbook(path: Path) -> Path:
    """A valid minimal workbook whose parts sit at the zip root (no ``xl/`` folder): Excel-like
    readers accept it, python-calamine panics (a Rust panic) when it looks for its tables."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("workbook.xml", _WORKBOOK)
        z.writestr("_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("sheet1.xml", _sheet())
    return path


def tall_sheet(path: Path, rows: int = 65_535) -> Path:
    """A small workbook (a few hundred KB zipped) whose one sheet declares and holds ``rows`` rows."""
    ct = _CT.replace('PartName="/workbook.xml"', 'PartName="/xl/workbook.xml"')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", _RELS.replace('Target="workbook.xml"', 'Target="xl/workbook.xml"'))
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels",
                   _WORKBOOK_RELS.replace('Target="sheet1.xml"', 'Target="worksheets/sheet1.xml"'))
        z.writestr("xl/worksheets/sheet1.xml", _sheet(rows, f"A1:A{rows}"))
    return path


def lying_zip(source: Path, path: Path) -> Path:
    """A copy of ``source`` whose zip directory understates every member's unzipped size (what a
    zip bomb does to get past a check that trusts the headers)."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as z:
        infos = z.infolist()
    end = data.rfind(b"PK\x05\x06")
    central = int.from_bytes(data[end + 16:end + 20], "little")
    at = central
    for _info in infos:  # central directory: uncompressed size at +24
        data[at + 24:at + 28] = (1).to_bytes(4, "little")
        name_len, extra_len, comment_len = (int.from_bytes(data[at + o:at + o + 2], "little")
                                            for o in (28, 30, 32))
        local = int.from_bytes(data[at + 42:at + 46], "little")
        data[local + 22:local + 26] = (1).to_bytes(4, "little")  # local header: uncompressed size
        at += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(data))
    return path


def fifo(path: Path) -> Path:
    """A named pipe called like a workbook (opening it for reading would block forever)."""
    os.mkfifo(path)
    return path


def broken_link(path: Path) -> Path:
    """A symbolic link named like a workbook, pointing nowhere."""
    path.symlink_to(path.parent / "khong_ton_tai" / path.name)
    return path
