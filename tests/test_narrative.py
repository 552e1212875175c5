"""The drafted narrative report (BaoCao_NTM_…docx), opened the way the clerk will: in LibreOffice.

Inputs are the bundled samples, copied and broken the way communes break them (tests/corpus.py).
In the first run every commune's assessment at 31/12 last year is first made equal to this period's
(the samples carry their own gains and losses), then: Tân Thành sends nothing, Xuân Lẹ writes
"không rõ" in a number, Bát Mọt's criterion 2 was not met at 31/12 last year (a criterion gained),
Xuân Dương and Thọ Thanh no longer meet criterion 2 (two communes lose one, and nobody is left at
19/19). A second run holds only the two communes at 19/19, whose Chỉ đạo, kiến nghị sheets (PB11)
are left blank.
Each run goes through the command line; the .docx is converted to text and PDF by headless
LibreOffice, and every key figure of the text is compared with the cell of the summary workbook
that shows it (read with openpyxl, cached values).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm

from pipeline.annexes import pb11
from pipeline.cli import main
from pipeline.config.paths import SAMPLES_DIR
from pipeline.district.narrative import SECTION_TOPICS, narrative_facts, text_items
from pipeline.district.tables import build_district
from pipeline.outputs.narrative import MARGINS_MM, write_narrative
from pipeline.run import run_checks
from tests import corpus
from tests.libreoffice import convert_many, pdf_page_sizes

TXT = "txt:Text (encoded):UTF8"
PDF = "pdf:writer_pdf_Export"
MISSING, GARBLED, GAINS, LOSERS = "15661", "15619", "15607", ("15649", "15652")
CRITERION = "2"          # the criterion gained (and lost); its first indicator is edited
ALSO_LOST = "3"          # lost too by the losers, so the average moves by more than rounding
PLANNER = LOSERS[0]       # writes its plan for criterion 2 in "Kế hoạch kỳ tới"
PLAN_TEXT = "Hoàn thành nâng cấp 2 km đường trục thôn"
PREVIOUS_TITLE = "Đánh giá đến 31/12 năm trước"
SHEET_PB11 = "Chỉ đạo, kiến nghị"
PB11_TEXT = "Nội dung báo cáo"
NUMBER = r"\d{1,3}(?:\.\d{3})*(?:,\d+)?"


# Runs


def _criterion_indicator(annexes, criterion: str = CRITERION) -> str:
    return annexes["PB01"].row(criterion).formulas["danh_gia"].rows[0]


def _assess(title: str, rows: tuple[str, ...], value: str):
    def change(wb):
        ws = wb[corpus.SHEET_PB01]
        for row in rows:
            corpus._set(ws, corpus.find_row(ws, row), corpus.find_column(ws, title), value)
    return change


def _steady(wb):
    """The commune assessed every indicator at 31/12 last year as it does now: no change but the
    ones a test makes."""
    ws = wb[corpus.SHEET_PB01]
    now, before = corpus.find_column(ws, corpus.ASSESSMENT), corpus.find_column(ws, PREVIOUS_TITLE)
    for row in range(corpus.FIRST_DATA_ROW, ws.max_row + 1):
        value = ws.cell(row, now).value
        if value in ("Đạt", "Chưa đạt"):
            ws.cell(row, before).value = value


def _blank_pb11(wb):
    ws = wb[SHEET_PB11]
    column = corpus.find_column(ws, PB11_TEXT)
    for row in range(corpus.FIRST_DATA_ROW, ws.max_row + 1):
        ws.cell(row, column).value = None


def _consolidate(folder: Path, out: Path) -> Path:
    assert main(["consolidate", "--input", str(folder), "--output", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def broken_run(samples, annexes, tmp_path_factory):
    folder = tmp_path_factory.mktemp("input")
    indicator = _criterion_indicator(annexes)
    also = _criterion_indicator(annexes, ALSO_LOST)
    steady = tmp_path_factory.mktemp("steady")
    for sample in samples:
        code = sample.name[:5]
        dst = folder / sample.name
        if code == MISSING:
            continue
        src = corpus._edit(sample, steady / sample.name, _steady)
        if code == GARBLED:
            corpus.garbage_in_number(src, dst)
        elif code == GAINS:
            corpus._edit(src, dst, _assess(PREVIOUS_TITLE, (indicator,), "Chưa đạt"))
        elif code in LOSERS:
            lose = _assess(corpus.ASSESSMENT, (indicator, also), "Chưa đạt")
            plan = _assess("Kế hoạch kỳ tới", (CRITERION,), PLAN_TEXT)

            def change(wb, lose=lose, plan=plan, code=code):
                lose(wb)
                if code == PLANNER:
                    plan(wb)
            corpus._edit(src, dst, change)
        else:
            shutil.copyfile(src, dst)
    return _consolidate(folder, tmp_path_factory.mktemp("output"))


@pytest.fixture(scope="module")
def full_run(samples, tmp_path_factory):
    """The two communes at 19/19 with nothing written in PB11, and Bát Mọt sending last year's
    file again (not used)."""
    folder = tmp_path_factory.mktemp("input19")
    for src in samples:
        if src.name[:5] in LOSERS:
            corpus._edit(src, folder / src.name, _blank_pb11)
        elif src.name[:5] == GAINS:
            corpus.last_years_file(src, folder / src.name)
    return _consolidate(folder, tmp_path_factory.mktemp("output19"))


@pytest.fixture(scope="module")
def sample_docx(settings, tmp_path_factory):
    """The writer on a run of the bundled samples (as `make consolidate` with input/ empty)."""
    result = run_checks(settings, settings.period, SAMPLES_DIR / str(settings.period), quiet=True)
    result.used_samples = True
    facts = narrative_facts(result, build_district(result))
    return write_narrative(facts, tmp_path_factory.mktemp("mau") / "BaoCao_mau.docx")


@pytest.fixture(scope="module")
def converted(broken_run, full_run, sample_docx, tmp_path_factory):
    """Every report as LibreOffice text (one soffice start per format), and the PDF of one."""
    sources = [_docx(broken_run), sample_docx]
    full = tmp_path_factory.mktemp("full") / "BaoCao_full.docx"
    shutil.copyfile(_docx(full_run), full)
    sources.append(full)
    texts = convert_many(sources, TXT, tmp_path_factory.mktemp("txt"), recalc=False)
    (pdf,) = convert_many([sources[0]], PDF, tmp_path_factory.mktemp("pdf"), recalc=False)
    read = [_squeeze_lines(p.read_text(encoding="utf-8-sig")) for p in texts]
    return {"broken": read[0], "sample": read[1], "full": read[2], "pdf": pdf}


def _docx(out: Path) -> Path:
    (path,) = out.glob("BaoCao_NTM_*.docx")
    return path


def _squeeze_lines(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n")


def _number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def _after(text: str, pattern: str) -> re.Match:
    found = re.search(pattern, text)
    assert found, f"not in the report: {pattern}"
    return found


# Reading the summary workbook


def _summary(out: Path):
    (path,) = out.glob("TongHop_NTM_*.xlsx")
    return openpyxl.load_workbook(path, data_only=True)


def _sheet(book, code: str):
    return next(book[name] for name in book.sheetnames if name.startswith(code))


def _row(ws, label: str, nth: int = 0) -> int:
    rows = [c.row for c in ws["A"] if isinstance(c.value, str) and c.value.strip() == label]
    return rows[nth]


def _columns(ws, title: str) -> list[int]:
    """Columns whose header (above the data, rows 1–14) reads ``title``, left to right."""
    return sorted(c.column for row in ws.iter_rows(min_row=1, max_row=14) for c in row
                  if isinstance(c.value, str) and c.value.strip() == title)


def _numbers_of_row(ws, row: int) -> list[float]:
    return [c.value for c in ws[row] if isinstance(c.value, (int, float))]


# Structure and format


HEADINGS = ("Phần thứ nhất", "I. ĐẶC ĐIỂM TÌNH HÌNH", "II. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TUYÊN TRUYỀN",
            "III. KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH", "1.1. Nội dung thành phần số 1:",
            "1.11. Nội dung thành phần số 11:", "2.1. Bộ tiêu chí xã nông thôn mới",
            "2.2. Bộ tiêu chí xã nông thôn mới nâng cao",
            "3. Kết quả xây dựng thôn NTM, thôn NTM kiểu mẫu",
            "4. Kết quả đánh giá, phân hạng sản phẩm OCOP",
            "a) Kết quả huy động các nguồn lực", "b) Kết quả phân bổ, giải ngân vốn",
            "c) Tình hình nợ đọng", "6. Kết quả thực hiện một số chỉ tiêu chủ yếu",
            "IV. ĐÁNH GIÁ CHUNG", "Phần thứ hai", "PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2024",
            "3. Đề xuất, kiến nghị", "Nơi nhận:")


def test_headings_are_numbered_as_the_seed_and_in_order(converted):
    lines = converted["broken"].splitlines()
    at = [next((i for i, line in enumerate(lines) if line.startswith(h)), None) for h in HEADINGS]
    assert None not in at, [h for h, i in zip(HEADINGS, at) if i is None]
    assert at == sorted(at)


def test_official_heading_block_and_signature(converted, settings):
    text = converted["broken"]
    for line in (settings.authority, settings.office, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Số: …/BC-…",
                 "Thường Xuân, ngày … tháng … năm 2024", "BÁO CÁO", settings.signer_title):
        assert line in text.splitlines(), line
    assert "Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới 6 tháng đầu năm 2024" in text
    assert text.index("Nơi nhận:") < text.index(settings.signer_title)


def test_page_is_a4_portrait_times_new_roman_with_decree_margins(broken_run, converted):
    doc = Document(str(_docx(broken_run)))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    mm = {side: round(getattr(section, f"{side}_margin").mm, 1)  # Word stores twips
          for side in ("top", "bottom", "left", "right")}
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25
    assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20
    assert round(section.left_margin.mm) == MARGINS_MM["left"]
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    for level in (1, 2, 3, 4):
        assert doc.styles[f"Heading {level}"].font.name == "Times New Roman"
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs} - {None}
    assert fonts <= {"Times New Roman"}
    sizes = pdf_page_sizes(converted["pdf"])
    assert sizes and all(size == (595.3, 841.9) for size in sizes)


# Figures equal the summary workbook's cells


def test_criteria_average_and_bands_equal_th01(broken_run, converted):
    text, ws = converted["broken"], _sheet(_summary(broken_run), "TH01")
    section = text[text.index("2.1. Bộ tiêu chí"):text.index("2.2. Bộ tiêu chí")]
    previous, now = _numbers_of_row(ws, _row(ws, "Bình quân số tiêu chí đạt/xã"))[-2:]
    assert round(now, 1) < round(previous, 1)  # the case is built so
    found = _after(section, rf"Bình quân đạt ({NUMBER}) tiêu chí/xã, giảm ({NUMBER}) tiêu chí/xã "
                            rf"so với thời điểm 31/12/2023")
    assert _number(found.group(1)) == round(now, 1)
    assert _number(found.group(2)) == pytest.approx(round(previous, 1) - round(now, 1))
    for label in ("15–18 tiêu chí", "10–14 tiêu chí", "5–9 tiêu chí"):
        count = ws.cell(_row(ws, label), 3).value
        assert _after(section, rf"(\d\d) xã đạt {label}").group(1) == f"{count:02d}"
    assert ws.cell(_row(ws, "19 tiêu chí"), 3).value == 0
    assert "chưa có xã nào đạt đủ 19/19 tiêu chí" in section


def test_funds_total_sources_and_shares_equal_th04(broken_run, converted):
    text, ws = converted["broken"], _sheet(_summary(broken_run), "TH04")
    top = _row(ws, "Nguồn vốn")
    col = next(c.column for c in ws[top] if c.value == "Lũy kế từ đầu năm")
    total = ws.cell(_row(ws, "Tổng số"), col).value
    found = _after(text, rf"\(lũy kế từ đầu năm\) là ({NUMBER}) triệu đồng, đạt ({NUMBER})% kế hoạch năm")
    assert _number(found.group(1)) == pytest.approx(total)
    for r in range(top + 1, _row(ws, "Tổng số")):
        label, value, share = ws.cell(r, 1).value, ws.cell(r, col).value, ws.cell(r, col + 1).value
        name = label.split(". ", 1)[1]
        if value:
            line = _after(text, rf"- {re.escape(name)}: ({NUMBER}) \(({NUMBER})%\)")
            assert _number(line.group(1)) == pytest.approx(value) and _number(line.group(2)) == share


def test_disbursement_debt_villages_ocop_equal_their_tables(broken_run, converted):
    text, book = converted["broken"], _summary(broken_run)
    ws = _sheet(book, "TH05")
    total = _row(ws, "Toàn huyện")
    plan, paid = (ws.cell(total, _columns(ws, t)[0]).value
                  for t in ("Kế hoạch vốn giao", "Giải ngân đến kỳ báo cáo"))
    rate = ws.cell(total, _columns(ws, "Tỷ lệ giải ngân (%)")[0]).value
    found = _after(text, rf"nội dung là ({NUMBER}) triệu đồng; đã giải ngân ({NUMBER}) triệu đồng, "
                         rf"đạt ({NUMBER})%")
    assert [_number(g) for g in found.groups()] == [pytest.approx(plan), pytest.approx(paid), rate]

    ws = _sheet(book, "TH06")
    total = _row(ws, "Toàn huyện")
    opening, settled, closing = (ws.cell(total, _columns(ws, t)[0]).value
                                 for t in ("Nợ đầu kỳ", "Đã xử lý trong kỳ", "Nợ cuối kỳ"))
    found = _after(text, rf"đầu kỳ ({NUMBER}) \(\d+ công trình\); đã xử lý trong kỳ ({NUMBER}); "
                         rf"còn nợ cuối kỳ ({NUMBER})")
    assert [_number(g) for g in found.groups()] == [pytest.approx(v) for v in (opening, settled, closing)]

    ws = _sheet(book, "TH03")
    total = _row(ws, "Toàn huyện")
    villages, ntm, model = (ws.cell(total, c).value for c in _columns(ws, "Số thôn"))
    ntm_rate, model_rate = (ws.cell(total, c).value for c in _columns(ws, "Tỷ lệ (%)"))
    found = _after(text, rf"có ({NUMBER}) thôn, bản, tổ dân phố; trong đó ({NUMBER}) thôn đạt chuẩn NTM "
                         rf"\(tỷ lệ ({NUMBER})%\) và ({NUMBER}) thôn đạt chuẩn NTM kiểu mẫu "
                         rf"\(tỷ lệ ({NUMBER})%\)")
    assert [_number(g) for g in found.groups()] == [villages, ntm, ntm_rate, model, model_rate]

    ws = _sheet(book, "TH07")
    products = ws.cell(_row(ws, "Toàn huyện"), _columns(ws, "Tổng số")[0]).value
    assert _number(_after(text, rf"có ({NUMBER}) sản phẩm OCOP được công nhận").group(1)) == products


def test_indicator_rates_equal_th08(broken_run, converted):
    text, ws = converted["broken"], _sheet(_summary(broken_run), "TH08")
    total = _row(ws, "Toàn huyện")
    title = "Tỷ lệ dân số tham gia bảo hiểm y tế"
    value = ws.cell(total, _columns(ws, f"{title} (%)")[0]).value
    assert _number(_after(text, rf"- {title}: ({NUMBER})%").group(1)) == round(value, 1)


# Zero, one, many; units not consolidated


def test_one_gain_many_losses_each_named_with_its_criterion(converted):
    section = converted["broken"].split("2.2. Bộ tiêu chí")[0]
    assert re.search(r"có 01 xã đạt thêm tiêu chí \(xã Bát Mọt: tiêu chí số 2 \(Giao thông\)\)",
                     section)
    lost = r"tiêu chí số 2 \(Giao thông\) và số 3 \(Thủy lợi và phòng, chống thiên tai\)"
    assert re.search(rf"Có 02 xã bị giảm tiêu chí \(xã Xuân Dương: {lost}; xã Thọ Thanh: {lost}\)",
                     section)


def test_missing_and_erroneous_units_are_named_not_dropped(converted):
    text = converted["broken"]
    assert "Còn 01 đơn vị chưa gửi báo cáo: xã Tân Thành;" in text
    assert "đã tổng hợp báo cáo của 15/16 đơn vị" in text
    assert re.search(r"Báo cáo của xã Xuân Lẹ còn số liệu có lỗi; phần số liệu đó chưa tổng hợp", text)
    assert "Chưa tổng hợp kết quả của xã Tân Thành (chưa nộp báo cáo)." in text


def test_all_at_19_many_missing_one_refused(converted):
    text = converted["full"]
    section = text[text.index("2.1. Bộ tiêu chí"):text.index("2.2. Bộ tiêu chí")]
    assert "có 02 xã đạt đủ 19/19 tiêu chí (xã Xuân Dương và xã Thọ Thanh)" in section
    assert "không có xã nào đạt 15–18, 10–14, 5–9 và dưới 5 tiêu chí." in section
    assert "Bình quân đạt 19 tiêu chí/xã, không thay đổi so với thời điểm 31/12/2023." in section
    assert "Còn 13 đơn vị chưa gửi báo cáo: xã Yên Nhân, xã Xuân Lẹ," in text
    assert "Báo cáo của xã Bát Mọt có lỗi, chưa tổng hợp." in text
    assert "Chưa tổng hợp kết quả của xã Bát Mọt (báo cáo có lỗi)." in section
    assert "Chưa tổng hợp kết quả của 13 đơn vị chưa nộp báo cáo (nêu tại mục I)." in section
    assert "Tất cả các đơn vị đã gửi báo cáo" not in text
    assert "Trên địa bàn không còn nợ đọng xây dựng cơ bản trong xây dựng NTM." in text


def test_what_the_communes_did_not_report_is_a_marked_placeholder(converted):
    """The communes of the second run left PB11 blank: nothing is made up in its place."""
    text = converted["full"]
    for heading in ("1. Công tác ban hành văn bản, lãnh đạo, chỉ đạo, kiện toàn bộ máy",
                    "1. Những kết quả nổi bật đã đạt được",
                    "2. Tồn tại, hạn chế, khó khăn, vướng mắc", "3. Nguyên nhân",
                    "3. Đề xuất, kiến nghị"):
        after = text.split(heading, 1)[1].lstrip().splitlines()[0]
        assert after.startswith("[…]"), (heading, after)


def test_sample_run_says_so_and_a_real_run_does_not(converted):
    assert "DỮ LIỆU MẪU" in converted["sample"]
    assert "DỮ LIỆU MẪU" not in converted["broken"]


def test_every_pb11_section_feeds_a_part_of_the_report():
    assert set(SECTION_TOPICS) == set(pb11.SECTIONS)


def test_listed_in_the_end_of_run_paths(broken_run):
    assert _docx(broken_run).name == "BaoCao_NTM_ThuongXuan_2024-H1.docx"


def test_writer_never_invents_a_figure_for_a_missing_plan(settings, tmp_path):
    """No annual plan typed anywhere: the % of plan is a placeholder, not 0% or a guess."""
    result = run_checks(settings, settings.period, SAMPLES_DIR / str(settings.period), quiet=True)
    facts = narrative_facts(result, build_district(result))
    facts = dataclasses.replace(facts, funds=dataclasses.replace(facts.funds, plan=0.0, of_plan=""))
    path = write_narrative(facts, tmp_path / "BaoCao.docx")
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "kế hoạch năm" not in text.split("a) Kết quả huy động", 1)[1].split("\n")[1]


PB11_HEADINGS = {  # PB11 row → the heading its texts go under, and the heading after it
    "HC": ("2. Tồn tại, hạn chế, khó khăn, vướng mắc", "3. Nguyên nhân"),
    "NN": ("3. Nguyên nhân", "Phần thứ hai"),
    "KN": ("3. Đề xuất, kiến nghị", "Trên đây là báo cáo"),
}


def _block(text: str, start: str, end: str) -> list[str]:
    lines = text.splitlines()
    first = lines.index(start)
    last = next(i for i in range(first + 1, len(lines)) if lines[i].startswith(end))
    return lines[first + 1:last]


def _pb11_texts(path: Path) -> dict[str, str]:
    wb = openpyxl.load_workbook(path, read_only=False)
    ws = wb[SHEET_PB11]
    column = corpus.find_column(ws, PB11_TEXT)
    return {code: ws.cell(corpus.find_row(ws, code), column).value or "" for code in PB11_HEADINGS}


def test_commune_texts_are_gathered_by_commune_under_their_heading(samples, settings, converted):
    """Each commune's difficulties, causes and proposals (PB11, as its file says them) under the
    heading of that section, with the commune named: one item on the commune's line, several as
    "+" lines under it; a commune's own list marks are never doubled with the report's."""
    names = {u.code: u.name for u in settings.registry.units}
    text = converted["broken"]
    seen = {code: 0 for code in PB11_HEADINGS}
    for src in samples:
        if src.name[:5] in (MISSING,):
            continue
        said = _pb11_texts(src)
        for code, (start, end) in PB11_HEADINGS.items():
            block = _block(text, start, end)
            items = text_items(said[code])
            if not items:
                assert not any(line.startswith(f"- {names[src.name[:5]]}:") for line in block)
                continue
            seen[code] += 1
            name = names[src.name[:5]]
            if len(items) == 1:
                assert f"- {name}: {items[0].rstrip('.')}." in block, (code, name)
            else:
                at = block.index(f"- {name}:")
                assert [line[2:].rstrip(";.") for line in block[at + 1:at + 1 + len(items)]] == \
                    [i.rstrip(";.") for i in items], (code, name)
                assert all(line.startswith("+ ") for line in block[at + 1:at + 1 + len(items)])
    assert all(n > 1 for n in seen.values()), seen  # the samples carry these texts
    assert not re.search(r"^- [^\n:]+: [-+•]", text, flags=re.M)


def test_a_broken_wording_file_never_stops_the_run(settings, tmp_path, capsys):
    """The clerk's edits: a deleted key and unbalanced braces still give a draft showing where to
    look; a file that is no longer TOML gives a document (and a console line) saying what to fix."""
    from pipeline.outputs.narrative import WORDING_PATH

    result = run_checks(settings, settings.period, SAMPLES_DIR / str(settings.period), quiet=True)
    facts = narrative_facts(result, build_district(result))
    edited = WORDING_PATH.read_text(encoding="utf-8")
    edited = re.sub(r"^ten_loai = .*\n", "", edited, flags=re.M)
    edited = edited.replace('tinh_hinh = "Tình hình chung của {don_vi}', 'tinh_hinh = "Tình hình {chung')
    (tmp_path / "sua.toml").write_text(edited, encoding="utf-8")
    text = "\n".join(p.text for p in Document(str(write_narrative(
        facts, tmp_path / "a.docx", wording=tmp_path / "sua.toml"))).paragraphs)
    assert "[thiếu lời văn “chung.ten_loai”]" in text and "Tình hình {chung" in text
    (tmp_path / "hong.toml").write_text('[chung]\nten_loai = "BÁO CÁO\n', encoding="utf-8")
    text = "\n".join(p.text for p in Document(str(write_narrative(
        facts, tmp_path / "b.docx", wording=tmp_path / "hong.toml"))).paragraphs)
    assert "Không đọc được tệp lời văn báo cáo" in text and "hong.toml" in text
    assert "Không đọc được tệp lời văn báo cáo" in capsys.readouterr().err


def test_criteria_plans_of_the_communes_go_to_the_next_period(converted):
    part_two = converted["broken"].split("Phần thứ hai", 1)[1].splitlines()
    plans = part_two[part_two.index("Kế hoạch thực hiện các tiêu chí của các xã:") + 1:]
    plans = plans[:next(i for i, line in enumerate(plans) if not line.startswith(("- ", "+ ")))]
    start = next(i for i, line in enumerate(plans) if line.startswith("- Xã Xuân Dương:"))
    mine = [plans[start]] + list(itertools.takewhile(lambda line: line.startswith("+ "),
                                                     plans[start + 1:]))
    wanted = f"tiêu chí số 2 (Giao thông): {PLAN_TEXT}"
    assert (mine == [f"- Xã Xuân Dương: {wanted}."]
            or any(line in (f"+ {wanted};", f"+ {wanted}.") for line in mine[1:])), mine


# Issue 11's tables: recognition, villages by decision, comparisons


def _recognition_block(ws) -> dict[str, tuple[int, list[str], list[str]]]:
    """TH10's "Tổng hợp theo mức đạt chuẩn": level → (communes recognised, their names, proposed)."""
    head = _row(ws, "Mức đạt chuẩn")
    titles = {c.value: c.column for c in ws[head] if isinstance(c.value, str)}
    count, named = titles["Số xã"], titles["Tên xã đã được công nhận"]
    proposed = next(c for t, c in titles.items() if t.startswith("Đề nghị công nhận năm"))
    out = {}
    for r in range(head + 1, head + 4):
        split = [[n.strip() for n in (ws.cell(r, c).value or "").split(",") if n.strip()]
                 for c in (named, proposed)]
        out[ws.cell(r, 1).value] = (ws.cell(r, count).value, *split)
    return out


def _find(ws, text: str, after: int = 0) -> int:
    """The first row below ``after`` whose first cells (STT, Đơn vị …) read ``text``."""
    return next(r for r in range(after + 1, ws.max_row + 1)
                if any(ws.cell(r, c).value == text for c in (1, 2, 3)))


def _named(names: list[str]) -> str:
    """Names as the report joins them: "xã A, xã B và xã C"."""
    names = [n[:1].lower() + n[1:] for n in names]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} và {names[-1]}"


@pytest.mark.parametrize("run", ["broken", "full"])
def test_recognition_by_level_equals_th10(run, broken_run, full_run, converted):
    out = {"broken": broken_run, "full": full_run}[run]
    text, ws = converted[run], _sheet(_summary(out), "TH10")
    section = text[text.index("2.3. Kết quả công nhận"):text.index("3. Kết quả xây dựng thôn")]
    levels = _recognition_block(ws)
    assert set(levels) == {"NTM", "NTM nâng cao", "NTM kiểu mẫu"}
    total = _numbers_of_row(ws, _row(ws, "Số xã đã được công nhận"))
    assert total == [levels[k][0] for k in ("NTM", "NTM nâng cao", "NTM kiểu mẫu")]
    for level, (count, names, _proposed) in levels.items():
        if count == 0:
            assert f"chưa có xã nào được công nhận đạt chuẩn {level};" in section \
                or f"chưa có xã nào được công nhận đạt chuẩn {level}." in section
        else:
            assert f"có {count:02d} xã được công nhận đạt chuẩn {level} ({_named(names)})" in section
    proposed = {level: p for level, (_c, _n, p) in levels.items() if p}
    if proposed:
        for level, names in proposed.items():
            assert f"đạt chuẩn {level}: {len(names):02d} xã ({_named(names)})" in section
    else:
        assert "Năm 2024, chưa có xã nào dự kiến đề nghị công nhận." in section
    cases = {(c == 0, c == 1, c > 1) for c, _n, _p in levels.values()}
    assert len(cases) > 1  # each run reads at least two of zero / one / many


def test_model_villages_are_those_with_a_decision(broken_run, converted):
    """Thọ Thanh's Thôn 1 meets 15/15 but has no decision: only proposed (Quý III/2024)."""
    text, ws = converted["broken"], _sheet(_summary(broken_run), "TH03")
    section = text[text.index("3. Kết quả xây dựng thôn"):text.index("4. Kết quả đánh giá")]
    row = _find(ws, "Xã Thọ Thanh")
    (model,) = [ws.cell(row, c).value for c in _columns(ws, "Số thôn")][1:2]
    assert model == 0
    assert "- Xã Thọ Thanh:" not in section
    listed = [line for line in section.splitlines() if line.startswith("- ")]
    assert listed
    names = _columns(ws, "Tên thôn (năm, số quyết định)")[0]
    shown = [ws.cell(_find(ws, line[2:].split(":")[0]), names).value for line in listed]
    assert [line.split(": ", 1)[1].rstrip(";.") for line in listed] == shown
    assert "không tính là thôn NTM kiểu mẫu" in section
    part_two = text.split("Phần thứ hai", 1)[1]
    assert "- Xã Thọ Thanh: Quý III/2024: Thôn 1 (15/15)" in part_two


def test_funds_against_the_annual_plan_equal_th04_d(broken_run, converted):
    text, ws = converted["broken"], _sheet(_summary(broken_run), "TH04")
    head = _find(ws, "D. TỔNG VỐN HUY ĐỘNG SO VỚI KẾ HOẠCH NĂM") + 1
    titles = {c.value: c.column for c in ws[head] if isinstance(c.value, str)}
    total = _find(ws, "Toàn huyện", after=head)
    plan = ws.cell(total, titles["Kế hoạch năm"]).value
    rate = ws.cell(total, titles["Lũy kế so với kế hoạch năm (%)"]).value
    found = _after(text, rf"đạt ({NUMBER})% kế hoạch năm \(({NUMBER}) triệu đồng\)")
    assert _number(found.group(1)) == rate and _number(found.group(2)) == pytest.approx(plan)


def test_key_indicators_against_last_year_and_plan_equal_th08b(broken_run, converted):
    text, ws = converted["broken"], _sheet(_summary(broken_run), "TH08b")
    head = next(r for r in range(1, 15) if ws.cell(r, 1).value == "STT")
    titles = {c.value: c.column for c in ws[head] if isinstance(c.value, str)}
    checked = 0
    for r in range(head + 1, ws.max_row + 1):
        label, unit = ws.cell(r, 2).value, ws.cell(r, titles["ĐVT"]).value
        last = ws.cell(r, titles["Cùng kỳ năm trước"]).value if "Cùng kỳ năm trước" in titles else None
        change = ws.cell(r, titles["Tăng (+), giảm (−) so với cùng kỳ"]).value
        rate = ws.cell(r, titles["Thực hiện so với kế hoạch năm (%)"]).value
        if not isinstance(label, str) or not isinstance(change, (int, float)):
            continue
        line = _after(text, rf"- {re.escape(label)}: [^\n]*\(cùng kỳ năm trước ({NUMBER})%?[^,]*, "
                            rf"(tăng|giảm) ({NUMBER})[^;]*; đạt ({NUMBER})% kế hoạch năm\)")
        if last is not None:
            assert _number(line.group(1)) == pytest.approx(last, abs=0.05)
        sign = 1 if line.group(2) == "tăng" else -1
        assert sign * _number(line.group(3)) == pytest.approx(change, abs=0.05), (label, unit)
        assert _number(line.group(4)) == rate
        checked += 1
    assert checked > 5


def test_criteria_gained_and_lost_equal_th01_cells(broken_run, converted):
    section = converted["broken"].split("2.2. Bộ tiêu chí")[0]
    ws = _sheet(_summary(broken_run), "TH01")
    gained, lost = (_columns(ws, t)[0] for t in ("Đạt thêm", "Không còn đạt"))
    for column, sentence_start in ((gained, "đạt thêm tiêu chí ("), (lost, "bị giảm tiêu chí (")):
        said = section.split(sentence_start, 1)[1].split(")).", 1)[0] + ")"
        cells = {ws.cell(r, 2).value: ws.cell(r, column).value
                 for r in range(1, ws.max_row + 1) if ws.cell(r, column).value
                 and isinstance(ws.cell(r, 2).value, str) and r > 8}
        for name, codes in cells.items():
            numbers = [c.strip() for c in str(codes).split(",")]
            part = next(p for p in said.split("; ") if p.startswith(_named([name]) + ":"))
            assert re.findall(r"số (\d+) \(", part) == numbers, (name, part)
        assert said.count("; ") + 1 == len(cells)
