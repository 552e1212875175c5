"""Helpers for tests that open generated workbooks in headless LibreOffice.

LibreOffice is optional locally (tests skip without it) but mandatory in CI,
where ``.ci/run`` installs it and sets ``NTM_REQUIRE_LIBREOFFICE=1`` so a
missing ``soffice`` fails the run instead of silently skipping.

Recalculation: by default LibreOffice keeps the cached formula results of
xlsx/ods files ("Never recalculate", the default of
``org.openoffice.Office.Calc/Formula/Load/{OOXMLRecalcMode,ODFRecalcMode}``),
and xlsxwriter stores a cached value of 0 (or whatever ``value=`` was given)
for every formula. ``convert(recalc=True)`` therefore starts LibreOffice with a
throw-away user profile whose ``registrymodifications.xcu`` sets both modes to
0 ("Always recalculate"), so every formula is evaluated by LibreOffice.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

__all__ = [
    "LibreOfficeError",
    "soffice_path",
    "require_soffice",
    "convert",
    "convert_many",
    "recalculated_values",
    "pdf_page_count",
    "pdf_page_sizes",
]

#: ``--convert-to`` argument per short format name; other values pass through.
FILTERS: dict[str, str] = {
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "xls": "xls:MS Excel 97",
    "ods": "ods:calc8",
    "pdf": "pdf:calc_pdf_Export",
    "csv": "csv:Text - txt - csv (StarCalc)",
}

# Recalc modes: 0 = always, 1 = never (LibreOffice's default), 2 = prompt.
_PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" \
oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop \
oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop \
oor:name="ODFRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
</oor:items>
"""


class LibreOfficeError(RuntimeError):
    """A LibreOffice conversion failed or produced no output file."""


def soffice_path() -> str | None:
    """Return the path of the LibreOffice binary, or None when not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates = [Path("/usr/bin/soffice"), Path("/usr/bin/libreoffice")]
    candidates += sorted(Path("/opt").glob("libreoffice*/program/soffice"), reverse=True)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def require_soffice() -> str:
    """Return the soffice path; skip the test locally, fail it in CI, when missing."""
    path = soffice_path()
    if path is None:
        message = "LibreOffice (soffice) is not installed"
        if os.environ.get("NTM_REQUIRE_LIBREOFFICE"):
            pytest.fail(f"{message} but NTM_REQUIRE_LIBREOFFICE is set")
        pytest.skip(message)
    return path


def _filter_arg(fmt: str) -> tuple[str, str]:
    """Return (``--convert-to`` value, output file extension) for ``fmt``."""
    arg = FILTERS.get(fmt, fmt)
    return arg, arg.split(":", 1)[0]


def convert_many(
    srcs: list[Path],
    fmt: str,
    outdir: Path,
    *,
    recalc: bool = True,
    timeout: int = 180,
) -> list[Path]:
    """Convert ``srcs`` to ``fmt`` in one soffice run; return the output paths.

    One call costs one LibreOffice start with a fresh private profile, so batch
    files where possible. With ``recalc`` every formula of xlsx/ods sources is
    recalculated on load instead of trusting the cached values.
    """
    soffice = require_soffice()
    if not srcs:
        return []
    arg, ext = _filter_arg(fmt)
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    sources = [Path(src).resolve() for src in srcs]
    outputs = [outdir / f"{src.stem}.{ext}" for src in sources]
    for src, out in zip(sources, outputs):
        if not src.is_file():
            raise FileNotFoundError(src)
        if out == src:
            raise ValueError(f"converting {src} into its own directory would overwrite it")
    if len(set(outputs)) != len(outputs):
        raise ValueError(f"sources share a file name stem: {[str(s) for s in sources]}")
    for out in outputs:  # a stale file would hide a failed conversion
        out.unlink(missing_ok=True)

    with tempfile.TemporaryDirectory(prefix="ntm-lo-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(
            _PROFILE_XCU.format(mode=0 if recalc else 1), encoding="utf-8"
        )
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            arg,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ]
        stdout, stderr, returncode = _run(cmd, timeout)

    missing = [out for out in outputs if not out.is_file()]
    if missing:
        raise LibreOfficeError(
            f"LibreOffice produced no {', '.join(map(str, missing))} "
            f"(exit code {returncode})\ncommand: {cmd}\n"
            f"stdout:\n{stdout}\nstderr:\n{stderr}"
        )
    return outputs


def _run(cmd: list[str], timeout: int) -> tuple[str, str, int]:
    """Run soffice in its own process group so a hang can be killed whole."""
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        raise LibreOfficeError(
            f"LibreOffice timed out after {timeout}s\ncommand: {cmd}\n"
            f"stdout:\n{stdout}\nstderr:\n{stderr}"
        ) from None
    return stdout, stderr, proc.returncode


def convert(
    src: Path,
    fmt: str,
    outdir: Path,
    *,
    recalc: bool = True,
    timeout: int = 180,
) -> Path:
    """Convert one file with headless LibreOffice; return the output path.

    ``fmt`` is "xlsx", "xls", "ods", "pdf", "csv" or a full ``--convert-to``
    value such as "pdf:calc_pdf_Export".
    """
    return convert_many([src], fmt, outdir, recalc=recalc, timeout=timeout)[0]


def recalculated_values(src: Path, workdir: Path) -> dict[str, dict[str, object]]:
    """Recalculate ``src`` in LibreOffice; return {sheet: {"A1": value}} of non-empty cells."""
    import openpyxl

    out = convert(src, "xlsx", Path(workdir) / "recalculated", recalc=True)
    workbook = openpyxl.load_workbook(out, data_only=True)
    try:
        return {
            sheet.title: {
                cell.coordinate: cell.value
                for row in sheet.iter_rows()
                for cell in row
                if cell.value is not None and cell.value != ""
            }
            for sheet in workbook.worksheets
        }
    finally:
        workbook.close()


_OBJECT = re.compile(rb"(\d+)\s+(\d+)\s+obj\b(.*?)\bendobj\b", re.S)
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_MEDIABOX = re.compile(rb"/MediaBox\s*\[([^\]]*)\]")
_PARENT = re.compile(rb"/Parent\s+(\d+)\s+\d+\s+R")


def _pdf_objects(data: bytes) -> dict[int, bytes]:
    """Map object number to its dictionary text (stream data cut off)."""
    objects: dict[int, bytes] = {}
    for match in _OBJECT.finditer(data):
        body = match.group(3)
        stream = re.search(rb"\bstream\r?\n", body)
        objects[int(match.group(1))] = body[: stream.start()] if stream else body
    return objects


def pdf_page_count(pdf: Path) -> int:
    """Count the pages of an uncompressed-xref PDF such as LibreOffice writes."""
    return len(_PAGE.findall(Path(pdf).read_bytes()))


def _page_numbers(objects: dict[int, bytes]) -> list[int]:
    """Page object numbers in page order, from the /Pages tree's /Kids."""
    kids_re = re.compile(rb"/Kids\s*\[([^\]]*)\]")
    parents = {
        int(m.group(1))
        for body in objects.values()
        if _PAGE.search(body)
        for m in [_PARENT.search(body)]
        if m
    }
    roots = [n for n in parents if not _PARENT.search(objects.get(n, b""))]
    order: list[int] = []

    def walk(number: int, depth: int = 0) -> None:
        body = objects.get(number, b"")
        if _PAGE.search(body):
            order.append(number)
            return
        kids = kids_re.search(body)
        if kids and depth < 64:
            for ref in re.findall(rb"(\d+)\s+\d+\s+R", kids.group(1)):
                walk(int(ref), depth + 1)

    for root in sorted(roots):
        walk(root)
    pages = sorted(n for n, body in objects.items() if _PAGE.search(body))
    return order if sorted(order) == pages else pages


def pdf_page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Return (width, height) in points of each page's MediaBox, in page order.

    Rounded to 0.1 pt: A4 portrait is (595.3, 841.9), A4 landscape (841.9, 595.3).
    """
    objects = _pdf_objects(Path(pdf).read_bytes())
    sizes: list[tuple[float, float]] = []
    for number in _page_numbers(objects):
        body = objects[number]
        box = _MEDIABOX.search(body)
        seen = {number}
        while box is None:  # MediaBox is inheritable from the /Pages tree
            parent = _PARENT.search(body)
            if parent is None or int(parent.group(1)) in seen:
                raise ValueError(f"page object {number} in {pdf} has no MediaBox")
            seen.add(int(parent.group(1)))
            body = objects.get(int(parent.group(1)), b"")
            box = _MEDIABOX.search(body)
        x0, y0, x1, y1 = (float(v) for v in box.group(1).split())
        sizes.append((round(x1 - x0, 1), round(y1 - y0, 1)))
    return sizes
