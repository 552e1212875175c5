"""Regenerate the README pictures in docs/hinh/ from the bundled samples (``make pictures``).

What it does, all in a temporary folder (input/ and output/ are never touched):

1. copies the samples (templates/mau/2024-H1) and consolidates them: the district summary;
2. consolidates a second copy in which xã Thọ Thanh's workbook is broken in two cells (a
   percentage of 150 and an overwritten total), so the check report and the feedback copy
   have findings to show;
3. converts the workbooks to PDF with headless LibreOffice (private profile, formulas
   recalculated on load as Excel does), finds the page where each wanted sheet starts from
   its title text, and renders that page with ``pdftoppm``, cropped to the printed content.

The copies get fixed file times (before the deadline), written as the received dates typed by hand
(luu_tru/ngay_nhan.csv of a temporary archive; a file first seen today would be "received" today):
the pictures do not change from one run to the next.

Needs LibreOffice (``soffice``) and poppler-utils (``pdftoppm``, ``pdftotext``).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.run import consolidate  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from libreoffice import convert_many  # noqa: E402

from pipeline.config.settings import Settings, SettingsError, load_settings, make_settings  # noqa: E402

PICTURES_DIR = ROOT / "docs" / "hinh"
SAMPLE_DIR = ROOT / "templates" / "mau" / "2024-H1"
SAMPLE_PERIOD = "2024-H1"
SAMPLE_DISTRICT = "396"  # huyện Thường Xuân
SAMPLE_DEADLINE = "2024-06-15"
THO_THANH = "15652_ThoThanh_2024-H1.xlsx"  # xã Thọ Thanh: broken copy; its PB01 pictured
# Every sample "arrives" on this day, a few minutes apart: all on time, same pictures each run.
RECEIVED = datetime(2024, 6, 12, 8, 0)

MAX_BYTES = 150_000
# No anti-aliasing: sharper small text on screen, and PNGs several times smaller.
CRISP = ("-aa", "no", "-aaVector", "no")
PAD_PX = 8  # white margin kept around the cropped content
WHITE = 245  # grey level (0-255) above which a pixel counts as background


@dataclass(frozen=True)
class Picture:
    name: str  # file name in docs/hinh/
    source: str  # key of the converted workbook (see main)
    marker: str  # text printed only on the first page of the wanted sheet
    dpi: int  # 100 for an ordinary sheet; more where the sheet is printed small


PICTURES = (
    Picture("tonghop_th00.png", "summary", "Biểu TH00:", 100),
    Picture("tonghop_th01.png", "summary", "Biểu TH01:", 140),
    Picture("tonghop_th04.png", "summary", "Biểu TH04:", 100),
    Picture("tonghop_th08.png", "summary", "Biểu TH08:", 110),
    Picture("kiemtra.png", "check", "DANH SÁCH PHÁT HIỆN KHI KIỂM TRA", 180),
    Picture("phanhoi_cansua.png", "feedback", "DANH SÁCH NỘI DUNG CẦN SỬA", 120),
    Picture("phanhoi_o_loi.png", "feedback", "Phụ biểu 08:", 100),
    Picture("bieumau_pb01.png", "template", "Phụ biểu 01:", 100),
)


#: Page 1 of the drafted narrative report (BaoCao_NTM_…docx), rendered on its own (a Word file).
NARRATIVE_PICTURE = "baocao_trang1.png"
NARRATIVE_DPI = 90


class PictureError(RuntimeError):
    pass


# ---------------------------------------------------------------------------
# Workbooks
# ---------------------------------------------------------------------------


def sample_settings() -> Settings:
    """The settings file when it describes the samples, else the samples' own settings."""
    try:
        settings = load_settings()
    except SettingsError:
        settings = None
    if (settings is None or settings.registry.code != SAMPLE_DISTRICT
            or str(settings.period) != SAMPLE_PERIOD):
        print("templates/cai_dat.toml is not for the samples (huyện Thường Xuân, 2024-H1): "
              "using the samples' settings.")
        settings = make_settings(district=SAMPLE_DISTRICT, period=SAMPLE_PERIOD,
                                 deadline=SAMPLE_DEADLINE)
    return settings


def copy_samples(dest: Path) -> Path:
    dest.mkdir(parents=True)
    files = sorted(SAMPLE_DIR.glob("*.xlsx"))
    if not files:
        raise PictureError(f"no sample workbooks in {SAMPLE_DIR} (run `make samples`)")
    for index, src in enumerate(files):
        target = dest / src.name
        shutil.copyfile(src, target)
        stamp = (RECEIVED + timedelta(minutes=7 * index)).timestamp()
        os.utime(target, (stamp, stamp))
    return dest


def header_cell(sheet, code: str, column: str):
    """The cell in the table row coded `code` (its stable code in column A, or, where the Mã column
    shows a person's code instead, the row's label in column B), under the header `column`."""
    from pipeline.annexes import load_annexes

    labels = {r.label for a in load_annexes().values() if a.sheet == sheet.title
              for r in a.rows if r.code == code}
    header_row = code_row = col = None
    for row in sheet.iter_rows():
        first = row[0].value
        if header_row is None:
            for cell in row:
                if isinstance(cell.value, str) and cell.value.strip() == column:
                    header_row, col = cell.row, cell.column
        elif (first is not None and str(first).strip() == code) or (
                len(row) > 1 and isinstance(row[1].value, str) and row[1].value.strip() in labels):
            code_row = row[0].row
            break
    if header_row is None or code_row is None:
        raise PictureError(f"no row {code!r} / column {column!r} in sheet {sheet.title!r}")
    return sheet.cell(row=code_row, column=col)


def break_tho_thanh(folder: Path) -> set[tuple[str, str]]:
    """Two mistakes a commune makes: an impossible percentage and a typed-over total.

    Returns the (sheet, cell) pairs written, which the check report must then flag.
    """
    path = folder / THO_THANH
    stat = path.stat()
    workbook = openpyxl.load_workbook(path)
    broken = set()
    mistakes = (("Chỉ tiêu chủ yếu", "9", "Thực hiện kỳ báo cáo", 150),  # a percentage
                ("Huy động nguồn lực", "TONG", "Kế hoạch năm", 999))  # a computed total
    for sheet, code, column, value in mistakes:
        cell = header_cell(workbook[sheet], code, column)
        cell.value = value
        broken.add((sheet, cell.coordinate))
    workbook.save(path)
    os.utime(path, (stat.st_atime, stat.st_mtime))
    return broken


def check_flagged(output_dir: Path, broken: set[tuple[str, str]]) -> None:
    with open(output_dir / "findings.csv", encoding="utf-8-sig", newline="") as stream:
        flagged = {(row["sheet"], row["cell"]) for row in csv.DictReader(stream)}
    if not broken <= flagged:
        raise PictureError(f"the check did not flag {sorted(broken - flagged)}")


def only(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    if len(found) != 1:
        raise PictureError(f"expected one {pattern} in {folder}, found {[p.name for p in found]}")
    return found[0]


def run(settings: Settings, input_dir: Path, output_dir: Path) -> None:
    # Its own history archive (never the working tree's luu_tru/), with the received dates typed
    # by hand from the copies' fixed file times: TH00's "Ngày nhận" stays the same run to run.
    archive = output_dir.parent / "luu_tru" / "ntm.sqlite"
    archive.parent.mkdir(parents=True, exist_ok=True)
    os.environ["NTM_LUU_TRU"] = str(archive)
    lines = ["ma_don_vi,ky,ngay_nhan,ghi_chu"] + [
        f"{p.name[:5]},{SAMPLE_PERIOD},{datetime.fromtimestamp(p.stat().st_mtime):%d/%m/%Y},"
        for p in sorted(input_dir.glob("*.xlsx"))]
    (archive.parent / "ngay_nhan.csv").write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    code = consolidate(settings, input_dir=input_dir, output_dir=output_dir,
                       period=SAMPLE_PERIOD, quiet=True)
    if code != 0:
        raise PictureError(f"consolidation of {input_dir} failed (exit code {code})")


# ---------------------------------------------------------------------------
# LibreOffice and poppler
# ---------------------------------------------------------------------------


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        package = "LibreOffice" if name == "soffice" else "poppler-utils"
        raise PictureError(f"`{name}` not found: install {package}")
    return found


def to_pdf(sources: dict[str, Path], outdir: Path) -> dict[str, Path]:
    """Convert every workbook in one LibreOffice start (the tests' runner: private profile,
    formulas recalculated on load); return key → PDF."""
    return dict(zip(sources, convert_many(list(sources.values()), "pdf", outdir, timeout=300)))


def squeeze(text: str) -> str:
    """Text without whitespace: pdftotext splits words around some Vietnamese letters."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run([tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, text=True, encoding="utf-8", check=True).stdout
    return out.split("\f")


def find_page(pdf: Path, marker: str) -> int:
    """The 1-based page on which `marker` is printed; it must be exactly one page."""
    wanted = squeeze(marker)
    pages = [n for n, text in enumerate(page_texts(pdf), start=1) if wanted in squeeze(text)]
    if len(pages) != 1:
        raise PictureError(f"{marker!r} is on pages {pages} of {pdf.name}, expected one page")
    return pages[0]


def footer_top(pdf: Path, page: int) -> float | None:
    """Top (in points) of the "Trang N/M" footer on `page`, if there is one."""
    out = subprocess.run([tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(pdf),
                          "-"], capture_output=True, text=True, encoding="utf-8",
                         check=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', out).group(1))
    tops = [float(m.group(1)) for m in re.finditer(r'yMin="([\d.]+)"[^>]*>Trang</word>', out)]
    tops = [top for top in tops if top > 0.85 * height]
    return min(tops) if tops else None


def content_box(pdf: Path, page: int, dpi: int, workdir: Path) -> tuple[int, int, int, int]:
    """(x, y, width, height) in pixels at `dpi` of everything printed above the footer."""
    stem = workdir / "gray"
    subprocess.run([tool("pdftoppm"), *CRISP, "-gray", "-r", str(dpi), "-f", str(page), "-l",
                    str(page), "-singlefile", str(pdf), str(stem)], check=True)
    data = stem.with_suffix(".pgm").read_bytes()
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    width, height = int(match.group(1)), int(match.group(2))
    pixels = memoryview(data)[match.end():]
    footer = footer_top(pdf, page)
    last_row = height if footer is None else min(height, int(footer * dpi / 72) - 2)
    ink = bytes(0x78 if level < WHITE else 0x20 for level in range(256))  # "x" = ink, " " = not
    top = bottom = None
    left, right = width, -1
    for y in range(last_row):
        row = bytes(pixels[y * width:(y + 1) * width]).translate(ink)
        first = row.find(b"x")
        if first < 0:
            continue
        top = y if top is None else top
        bottom = y
        left, right = min(left, first), max(right, row.rfind(b"x"))
    if top is None:
        raise PictureError(f"page {page} of {pdf.name} is blank")
    x0, y0 = max(0, left - PAD_PX), max(0, top - PAD_PX)
    x1, y1 = min(width, right + 1 + PAD_PX), min(height, bottom + 1 + PAD_PX)
    return x0, y0, x1 - x0, y1 - y0


def render(pdf: Path, picture: Picture, workdir: Path) -> Path:
    return render_page(pdf, find_page(pdf, picture.marker), picture.name, picture.dpi, workdir)


def render_page(pdf: Path, page: int, name: str, dpi: int, workdir: Path) -> Path:
    """Page `page` of `pdf`, cropped to its printed content, as docs/hinh/`name`."""
    x, y, w, h = content_box(pdf, page, dpi, workdir)
    target = PICTURES_DIR / name
    subprocess.run([tool("pdftoppm"), *CRISP, "-png", "-r", str(dpi), "-f", str(page),
                    "-l", str(page), "-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h),
                    "-singlefile", str(pdf), str(target.with_suffix(""))], check=True)
    size = target.stat().st_size
    print(f"{target.relative_to(ROOT)}: {pdf.name} page {page}, {w}x{h} px, {size // 1024} KB")
    if size > MAX_BYTES:
        raise PictureError(f"{target.name} is {size} bytes, more than {MAX_BYTES}: lower its dpi")
    return target


def render_narrative(docx: Path, workdir: Path) -> Path:
    """Page 1 of the drafted narrative report: Word → PDF with LibreOffice Writer, then a PNG."""
    (pdf,) = convert_many([docx], "pdf:writer_pdf_Export", workdir / "pdf_docx", timeout=300)
    return render_page(pdf, 1, NARRATIVE_PICTURE, NARRATIVE_DPI, workdir)


# ---------------------------------------------------------------------------


def main() -> int:
    for name in ("soffice", "pdftoppm", "pdftotext"):
        tool(name)
    settings = sample_settings()
    PICTURES_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ntm-pictures-") as temp:
        work = Path(temp)
        clean_out, broken_out = work / "clean" / "output", work / "broken" / "output"
        run(settings, copy_samples(work / "clean" / "input"), clean_out)
        broken_in = copy_samples(work / "broken" / "input")
        broken = break_tho_thanh(broken_in)
        run(settings, broken_in, broken_out)
        check_flagged(broken_out, broken)

        sources = {
            "summary": only(clean_out, "TongHop_*.xlsx"),
            "check": only(broken_out, "KiemTra_*.xlsx"),
            "feedback": only(broken_out / "phan_hoi", f"{THO_THANH[:5]}_*.xlsx"),
            "template": SAMPLE_DIR / THO_THANH,
        }
        pdfs = to_pdf(sources, work / "pdf")
        for picture in PICTURES:
            render(pdfs[picture.source], picture, work)
        render_narrative(only(clean_out, "BaoCao_NTM_*.docx"), work)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except PictureError as exc:
        print(f"make_pictures: {exc}", file=sys.stderr)
        sys.exit(1)
