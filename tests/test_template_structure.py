"""Read the generated workbooks back with openpyxl and check them against the spec and definitions."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from sheets import HEADER_ROW, cell_at, row_of

from pipeline import TEMPLATE_VERSION
from pipeline.annexes.layout import GUIDE_SHEET, META_SHEET

# The table headers as the spec (shared/spec/annexes.md) lists them: an expectation typed from the
# contract, not read from the code.
SPEC_HEADERS = {
    "TT": ["Mã", "Nội dung", "Giá trị"],
    "PB01": ["Mã", "Nội dung", "ĐVT", "Yêu cầu", "Kết quả đến 31/12 năm trước",
             "Đánh giá đến 31/12 năm trước", "Kết quả kỳ báo cáo", "Đánh giá kỳ báo cáo",
             "Kế hoạch kỳ tới", "Ghi chú"],
    "PB03": ["Tên thôn", "Đạt chuẩn NTM (năm)", "Số tiêu chí NTM kiểu mẫu đạt",
             "Tổng số tiêu chí NTM kiểu mẫu", "Năm được công nhận NTM kiểu mẫu",
             "Số quyết định công nhận NTM kiểu mẫu", "Dự kiến công nhận (quý/năm)", "Ghi chú"],
    "PB04": ["Mã", "Nội dung", "ĐVT", "Kế hoạch năm", "Thực hiện kỳ báo cáo", "Lũy kế từ đầu năm",
             "Ghi chú"],
    "PB05": ["Tên công trình/nội dung", "Nội dung thành phần (1–11)", "Nguồn vốn", "Kế hoạch vốn giao",
             "Giải ngân đến kỳ báo cáo", "Tỷ lệ giải ngân (%)", "Ghi chú"],
    "PB06": ["Tên công trình", "Năm hoàn thành", "Nợ đầu kỳ", "Đã xử lý trong kỳ", "Nợ cuối kỳ",
             "Nguồn dự kiến xử lý", "Ghi chú"],
    "PB07": ["Tên sản phẩm", "Nhóm sản phẩm", "Chủ thể", "Loại chủ thể", "Số sao", "Năm công nhận",
             "Số quyết định", "Tình trạng"],
    "PB08": ["Mã", "Nội dung", "ĐVT", "Thực hiện kỳ báo cáo", "Cùng kỳ năm trước", "Kế hoạch năm",
             "Ghi chú"],
    "PB09": ["Mã", "Nội dung", "Áp dụng", "Kết quả chủ yếu", "Kinh phí thực hiện"],
    # Beyond the spec's table (issue 11): recognition from decisions, and the report's narrative.
    "PB10": ["Mã", "Nội dung", "Năm công nhận", "Số quyết định công nhận",
             "Năm dự kiến đề nghị công nhận", "Ghi chú"],
    "PB11": ["Mã", "Nội dung", "Nội dung báo cáo"],
}
SPEC_HEADERS["PB02"] = SPEC_HEADERS["PB01"]


@pytest.fixture(scope="module")
def blank_book(blank):
    return load_workbook(blank)


@pytest.fixture(scope="module")
def unit_book(generated):
    return load_workbook(next(p for p in generated if p.name.startswith("15652_")))


def _validation_of(ws, coord):
    found = [dv for dv in ws.data_validations.dataValidation if coord in dv.sqref]
    assert len(found) <= 1, f"{coord} has {len(found)} validations"
    return found[0] if found else None


def test_sheets_in_order(blank_book, annexes):
    exp = [GUIDE_SHEET] + [a.sheet for a in annexes.values()] + [META_SHEET]
    assert blank_book.sheetnames == exp
    assert set(SPEC_HEADERS) == set(annexes)


@pytest.mark.parametrize("code", list(SPEC_HEADERS))
def test_table_named_and_headed_as_in_spec(blank_book, annexes, code):
    annex = annexes[code]
    ws = blank_book[annex.sheet]
    table = ws.tables[annex.table_name]
    got = [c.name for c in table.tableColumns]
    assert got == SPEC_HEADERS[code]
    assert table.ref.startswith(f"A{HEADER_ROW}:")
    assert [ws.cell(HEADER_ROW, i + 1).value for i in range(len(got))] == SPEC_HEADERS[code]


@pytest.mark.parametrize("code", ["TT", "PB01", "PB02", "PB04", "PB08", "PB09"])
def test_fixed_rows_inputs_formulas_and_locks(blank_book, annexes, code):
    annex = annexes[code]
    ws = blank_book[annex.sheet]
    assert ws.protection.sheet, "sheet must be protected"
    assert not ws.protection.password, "no password: the clerk can lift protection"
    for row in annex.rows:
        r = row_of(ws, row.code)
        inputs = {c.key for c in annex.row_inputs(row)}
        for j, col in enumerate(annex.columns, start=1):
            cell = ws.cell(r, j)
            if col.key in row.formulas:
                assert cell.data_type == "f", f"{cell.coordinate} should be a formula"
                assert cell.protection.locked
            elif col.key in inputs and row.prefill not in ("district", "province", "period"):
                assert not cell.protection.locked, f"{cell.coordinate} should be an input"
                assert cell.font.name == "Times New Roman"
            else:
                assert cell.protection.locked, f"{cell.coordinate} should be locked"


def test_validations_follow_the_definitions(blank_book, annexes):
    expected_type = {"choice": "list", "int": "whole", "year": "whole", "money": "decimal",
                     "percent": "decimal", "number": "decimal", "date": "date"}
    checked = 0
    for annex in annexes.values():
        ws = blank_book[annex.sheet]
        if annex.kind == "list":
            targets = [(None, c, f"{chr(65 + j)}{HEADER_ROW + 1}") for j, c in enumerate(annex.columns)
                       if c.role == "input"]
        else:
            targets = [(row, c, ws.cell(row_of(ws, row.code), j + 1).coordinate)
                       for row in annex.rows for j, c in enumerate(annex.columns)
                       if c in annex.row_inputs(row) and not row.prefill]
        for row, col, coord in targets:
            kind = annex.cell_kind(row, col)
            dv = _validation_of(ws, coord)
            if kind in expected_type:
                assert dv is not None, f"{annex.code} {coord}: no validation"
                assert dv.type == expected_type[kind], f"{annex.code} {coord}"
                assert dv.errorTitle and dv.error, "Vietnamese error message"
                checked += 1
                if kind == "choice":
                    for choice in annex.cell_choices(row, col):
                        assert choice in dv.formula1
                if kind == "percent":
                    assert (float(dv.formula1), float(dv.formula2)) == (0, 100)
    assert checked > 300


def test_percent_rows_of_pb08_accept_0_to_100(blank_book):
    ws = blank_book["Chỉ tiêu chủ yếu"]
    dv = _validation_of(ws, cell_at(ws, "7", "Thực hiện kỳ báo cáo").coordinate)
    assert dv.type == "decimal" and (float(dv.formula1), float(dv.formula2)) == (0, 100)
    dv = _validation_of(ws, cell_at(ws, "1", "Thực hiện kỳ báo cáo").coordinate)
    assert dv.type == "whole"


def test_hidden_version_and_unit(blank_book, unit_book, settings):
    for book, unit in ((blank_book, ""), (unit_book, "15652")):
        meta = book[META_SHEET]
        assert meta.sheet_state == "veryHidden"
        assert meta.protection.sheet
        values = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, meta.max_row + 1)}
        assert values["template_version"] == TEMPLATE_VERSION
        assert (values["unit_code"] or "") == unit
        assert values["period"] == str(settings.period)
        assert "NTM_PhienBan" in book.defined_names


def test_unit_copy_prefills_and_locks_identity(blank_book, unit_book):
    code = cell_at(unit_book["Thông tin chung"], "MA_DV", "Giá trị")
    name = cell_at(unit_book["Thông tin chung"], "TEN_DV", "Giá trị")
    assert (code.value, name.value) == ("15652", "Xã Thọ Thanh")
    assert code.data_type == "s", "the unit code stays text"
    assert code.protection.locked and name.protection.locked
    blank_code = cell_at(blank_book["Thông tin chung"], "MA_DV", "Giá trị")
    assert blank_code.value is None and not blank_code.protection.locked
    period = cell_at(unit_book["Thông tin chung"], "KY", "Giá trị")
    assert period.value == "2024-H1" and period.protection.locked


def test_official_look_and_print_setup(unit_book, annexes):
    for annex in annexes.values():
        ws = unit_book[annex.sheet]
        texts = [c.value for row in ws.iter_rows(max_row=6) for c in row if isinstance(c.value, str)]
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts
        assert "Độc lập - Tự do - Hạnh phúc" in texts
        assert "UBND XÃ THỌ THANH" in texts
        assert any("6 tháng đầu năm 2024" in t for t in texts)
        below = [c.value for row in ws.iter_rows(min_row=HEADER_ROW) for c in row]
        assert "NGƯỜI LẬP BIỂU" in below and "CHỦ TỊCH" in below
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # OOXML default of fitToWidth is 1, which xlsxwriter leaves implicit.
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows
        assert ws.freeze_panes


def test_guide_sheet_is_vietnamese_and_first(unit_book):
    ws = unit_book[GUIDE_SHEET]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "HƯỚNG DẪN" in text and "ô màu vàng" in text and "triệu đồng" in text


def test_file_names_have_no_diacritics(generated, settings):
    assert len(generated) == 1 + len(settings.registry.units)
    for path in generated:
        assert path.name.isascii() and " " not in path.name
    assert any(p.name == "15652_ThoThanh_2024-H1.xlsx" for p in generated)


MACHINE_CODE = re.compile(r"^[A-Z]+_[A-Z_]+$|^TONG$")


def test_ma_column_shows_codes_a_person_would_write(unit_book, annexes):
    """No MA_DV, TEN_DV, TONG, NGAY_CONG: numbers, roman numerals, or words."""
    for annex in annexes.values():
        if annex.kind == "list":
            continue
        ws = unit_book[annex.sheet]
        shown = [ws.cell(row_of(ws, r.code), 1).value for r in annex.rows]
        assert not [s for s in shown if MACHINE_CODE.match(str(s))], (annex.code, shown)
    tt = unit_book["Thông tin chung"]
    assert [tt.cell(HEADER_ROW + i, 1).value for i in (1, 2, 3)] == ["1", "2", "3"]
    pb04 = unit_book["Huy động nguồn lực"]
    codes = [pb04.cell(r, 1).value for r in range(HEADER_ROW + 1, HEADER_ROW + 6)]
    assert codes[1:5] == ["I", "1", "2", "II"]


def test_region_dropdown_lists_names_and_the_unit_has_its_region_by_name(unit_book, settings):
    from pipeline.config.regions import REGIONS

    ws = unit_book["Thông tin chung"]
    cell = cell_at(ws, "VUNG", "Giá trị")
    assert cell.value == REGIONS[settings.region]
    dv = _validation_of(ws, cell.coordinate)
    listed = dv.formula1.strip('"').split(",")
    assert listed == list(REGIONS.values())
    assert not set(listed) & set(REGIONS)  # no code among them


def test_date_line_names_the_place(unit_book, blank_book, annexes):
    for annex in annexes.values():
        texts = [c.value for row in unit_book[annex.sheet].iter_rows(min_row=HEADER_ROW)
                 for c in row if isinstance(c.value, str)]
        assert "Thọ Thanh, ngày ..... tháng ..... năm ........" in texts, annex.code
    blank = [c.value for row in blank_book["Thông tin chung"].iter_rows(min_row=HEADER_ROW)
             for c in row if isinstance(c.value, str)]
    assert any(t.startswith("......., ngày") for t in blank)


def test_guide_says_by_when_and_to_whom_and_how_to_add_rows(unit_book, settings, annexes):
    ws = unit_book[GUIDE_SHEET]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert settings.deadline.strftime("%d/%m/%Y") in text
    assert "Phòng Nông nghiệp và PTNT huyện Thường Xuân" in text
    for annex in annexes.values():
        if annex.kind == "list":
            assert f"{annex.sheet}: {annex.blank_rows} dòng" in text
    assert "không cần chèn thêm dòng" in text and "Unprotect Sheet" in text
    assert "ocop" not in text and "Ocop" not in text


def test_list_annexes_offer_enough_rows_without_lifting_protection(unit_book, annexes):
    """A thôn per row up to a large commune's count, without inserting rows."""
    from openpyxl.utils.cell import range_boundaries

    for annex in annexes.values():
        if annex.kind != "list":
            continue
        ws = unit_book[annex.sheet]
        (table,) = ws.tables.values()
        _c0, r0, _c1, r1 = range_boundaries(table.ref)
        assert r1 - r0 >= annex.blank_rows >= 30
        # every prepared row is open to typing under the protected sheet
        col = 1
        assert all(not ws.cell(r, col).protection.locked for r in range(r0 + 1, r1 + 1))
        assert ws.protection.sheet
def test_pb08_figures_shared_with_pb01_are_locked_formulas_pointing_there(unit_book):
    """BHYT, income, poverty: typed once in PB01; PB08 shows them through a formula."""
    from sheets import cell_at

    pb08 = unit_book["Chỉ tiêu chủ yếu"]
    for row, indicator in (("8", "15.1"), ("13", "10.1"), ("14", "11.1")):
        shown = cell_at(pb08, row, "Thực hiện kỳ báo cáo")
        source = cell_at(unit_book["Tiêu chí NTM"], indicator, "Kết quả kỳ báo cáo")
        ref = f"'Tiêu chí NTM'!{source.coordinate}"
        assert shown.value.replace("$", "") == f'=IF({ref}="","",{ref})'
        assert shown.protection.locked and not source.protection.locked
        # Last year's figure and the plan are still typed in PB08.
        assert not cell_at(pb08, row, "Cùng kỳ năm trước").protection.locked
