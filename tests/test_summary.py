"""The district summary workbook, checked against sums computed here from the values we filled in.

Every commune workbook is written by the real template code (``template.write_workbook``) with known
values, the real run consolidates them, and the summary is read back with openpyxl (cached values).
Expected figures are computed in this file from the filled-in data, never by the code under test.
One unit does not report, one has values with a Lỗi, one has no household count, one commune text
is a formula look-alike, and one workbook is re-saved by openpyxl, which drops every cached formula
value (criteria must be recomputed from the indicators).
"""

from __future__ import annotations

import os
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from pipeline.annexes import load_annexes
from pipeline.annexes.formulas import AllMet
from pipeline.annexes.model import MET, NOT_MET
from pipeline.config.settings import load_settings
from pipeline.forms.generate import context, unit_file_name
from pipeline.forms.template import write_workbook
from pipeline.run import consolidate
from tests.libreoffice import convert, pdf_page_sizes, recalculated_values, require_soffice
from tests.sheets import formula_cells

MISSING = "15661"        # Xã Tân Thành sends nothing
BROKEN = "15619"         # Xã Xuân Lẹ: a text in PB04, a rate of 150 %, an unknown assessment
NO_HOUSEHOLDS = "15622"  # Xã Vạn Xuân: leaves "Tổng số hộ" empty
RESAVED = "15607"        # Xã Bát Mọt: re-saved by openpyxl, so no cached formula values
LINK_TEXT = '=HYPERLINK("http://x","y")'
LINK_UNIT = "15652"      # Xã Thọ Thanh writes it as its PB09 result for component 1
BAD_RATE_ROW = "9"       # PB08 row whose value is 150 for BROKEN
BAD_FUND = "I.1"         # PB04 source whose value is "abc" for BROKEN
SECURE_VILLAGES_ROW = "12"  # PB08 count that may not exceed the number of villages
#: Criteria met by each unit, in registry order (so every band is used).
TARGETS = [19, 18, 15, 14, 10, 9, 5, 4, 0, 19, 17, 12, 7, 3, 16, 11]
SOURCES = ("I.1", "I.2", "II.1", "II.2", "II.3", "III", "IV", "V", "VI.1", "VI.2", "VII")
FUNDERS = ("Đầu tư phát triển", "Sự nghiệp")
STATE_FUNDS = ("I.1", "I.2", "II.1")   # NSTW and tỉnh, compared with PB05
#: PB08 rows that repeat a PB01 indicator: typed once, in PB01's "Kết quả kỳ báo cáo".
SHARED = {"8": "15.1", "13": "10.1", "14": "11.1"}
#: (unit index, criterion): a criterion lost since 31/12 last year, and one gained.
LOST, GAINED = (1, 19), (3, 14)
TARGET_TEXT = "Hoàn thành quy hoạch chi tiết trong quý IV/2024."
#: PB11 sections (row codes of the narrative annex).
SECTIONS = ("VB", "BCD", "TT", "KQ", "HC", "NN", "KN")


# What each commune fills in


def unit_data(annexes, i: int, code: str) -> dict:
    villages = 5 + i % 4
    data = {
        "TT": {"SO_THON": {"gia_tri": villages}, "SO_HO": {"gia_tri": 1000 + 100 * i},
               "SO_NK": {"gia_tri": 4000 + 350 * i}, "NGAY_LAP": {"gia_tri": date(2024, 6, 10)}},
        "PB01": criteria_data(annexes["PB01"], TARGETS[i]),
        "PB03": [{"ten_thon": f"Thôn {j}", "nam_dat_ntm": 2020 if j < villages else None,
                  "so_tc_dat": 15 if (j == 1 and i % 3 == 0) else 10, "tong_tc": 15,
                  "nam_kieu_mau": 2023 if (j == 2 and i % 4 == 0) else None,
                  "du_kien": ("Năm 2025" if j == 3 else "Quý III/2024" if (j == 1 and i % 3 == 0)
                              else None)}
                 for j in range(1, villages + 1)],
        "PB04": {code_: {"ke_hoach": 3 * fund(i, k), "thuc_hien": fund(i, k), "luy_ke": 2 * fund(i, k)}
                 for k, code_ in enumerate(SOURCES)}
        | {"NGAY_CONG": {"thuc_hien": 100 + i, "luy_ke": 200 + i}},
        "PB05": [{"ten": f"Công trình {k}", "noi_dung_tp": "2", "nguon_von": FUNDERS[k % 2],
                  "ke_hoach": 100 * (k + 1) + i, "giai_ngan": 50 * (k + 1)} for k in range(i % 3)],
        "PB06": [{"ten": f"Nhà văn hóa {k}", "nam_hoan_thanh": 2021, "no_dau_ky": 200 + i,
                  "da_xu_ly": 50} for k in range(i % 2)],
        "PB07": [{"ten": f"Sản phẩm {k} của đơn vị {code}", "nhom": "Thực phẩm",
                  "so_sao": 3 + (k + i) % 3, "nam_cong_nhan": 2023} for k in range(i % 3)],
        "PB08": {row.code: {"thuc_hien": indicator(row, i)} for row in annexes["PB08"].rows},
        "PB09": {str(k): {"ap_dung": "Có", "ket_qua": f"Đơn vị {code}, nội dung {k}.",
                          "kinh_phi": k + i} for k in range(1, 12)},
        # Recognised NTM (a decision) every other unit; NTM nâng cao proposed this year every third.
        "PB10": {"NTM": {"nam_cong_nhan": 2015 + i % 5, "so_qd": f"{100 + i}/QĐ-UBND"}
                 if i % 2 == 0 else {},
                 "NC": {"nam_de_nghi": 2024} if i % 3 == 0 else {"nam_de_nghi": 2026}},
        "PB11": {s: {"noi_dung_bc": f"{s} của đơn vị {code}.\n- Ý thứ hai."} for s in SECTIONS},
    }
    # NSTW and tỉnh mobilised since January = what the works of PB05 disbursed (a rule).
    for k, state in enumerate(STATE_FUNDS):
        data["PB04"][state]["luy_ke"] = paid(i) if k == 0 else 0
    for row, item in SHARED.items():  # the figure is typed where PB01 asks for it
        data["PB01"][item] = {**data["PB01"].get(item, {}), "ket_qua": data["PB08"][row]["thuc_hien"]}
    data["PB08"][SECURE_VILLAGES_ROW]["thuc_hien"] = villages - i % 2   # ≤ villages (a rule)
    for row, values in data["PB08"].items():   # better than last year; the plan ahead
        worse = 1 if row == "14" else -1           # poverty: lower is better
        counted = annexes["PB08"].row(row).aggregate == "sum"
        values |= {"cung_ky": values["thuc_hien"] + worse,
                   "ke_hoach": 2 * values["thuc_hien"] if counted else min(100, values["thuc_hien"] + 1)}
    for k, product in enumerate(data["PB07"]):
        product["nam_cong_nhan"] = 2024 if k == 0 else 2023   # one new product this year
    if i == LOST[0]:    # met criterion LOST[1] at 31/12 last year, no longer
        for code in criterion_rows(annexes["PB01"])[LOST[1] - 1].formulas["danh_gia"].rows:
            data["PB01"][code]["danh_gia_truoc"] = MET
    if i == GAINED[0]:  # did not meet criterion GAINED[1] at 31/12 last year
        first = criterion_rows(annexes["PB01"])[GAINED[1] - 1].formulas["danh_gia"].rows[0]
        data["PB01"][first]["danh_gia_truoc"] = NOT_MET
    if i == 0:
        data["PB01"]["1"] = {"ke_hoach": TARGET_TEXT}
    if i % 2 == 0:
        data["PB02"] = criteria_data(annexes["PB02"], i % 7)
    if code == BROKEN:
        data["PB04"][BAD_FUND]["thuc_hien"] = "abc"
        data["PB08"][BAD_RATE_ROW]["thuc_hien"] = 150
        first_indicator = annexes["PB01"].row("1").formulas["danh_gia"].rows[0]
        data["PB01"][first_indicator]["danh_gia"] = "Có lẽ"
    if code == NO_HOUSEHOLDS:
        data["TT"]["SO_HO"] = {"gia_tri": None}
    if code == LINK_UNIT:
        data["PB09"]["1"]["ket_qua"] = LINK_TEXT
    return data


def paid(i: int) -> int:
    """What unit ``i``'s works (PB05) disbursed."""
    return sum(50 * (k + 1) for k in range(i % 3))


def fund(i: int, k: int) -> int:
    return 10 * (i + 1) + k


def indicator(row, i: int) -> float:
    if row.aggregate == "sum":
        return 10 + i + int(row.code)
    if row.kind == "percent":
        return 50 + (3 * i + int(row.code)) % 50
    return 40 + i   # income, triệu đồng/người/năm


def criteria_data(annex, target: int) -> dict:
    """Criteria 1..target met (all indicators Đạt), the others not (first indicator Chưa đạt)."""
    data = {}
    for number, row in enumerate(criterion_rows(annex), start=1):
        for j, code in enumerate(row.formulas["danh_gia"].rows):
            value = MET if number <= target or j > 0 else NOT_MET
            data[code] = {"danh_gia": value, "danh_gia_truoc": value}
    return data


def criterion_rows(annex):
    return [r for r in annex.rows if isinstance(r.formulas.get("danh_gia"), AllMet)]


# The run


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    settings = load_settings()
    annexes = load_annexes()
    folder = tmp_path_factory.mktemp("input")
    data = {}
    for i, unit in enumerate(settings.registry.units):
        data[unit.code] = unit_data(annexes, i, unit.code)
        if unit.code == MISSING:
            continue
        path = write_workbook(folder / unit_file_name(unit, str(settings.period)), annexes,
                              context(settings, unit), data[unit.code])
        if unit.code == RESAVED:
            book = openpyxl.load_workbook(path)
            book.save(path)
    return settings, annexes, folder, data


@pytest.fixture(scope="module")
def run(filled, tmp_path_factory):
    settings, annexes, folder, data = filled
    out = tmp_path_factory.mktemp("output")
    assert consolidate(settings, input_dir=folder, output_dir=out, quiet=True) == 0
    (summary,) = out.glob("TongHop_NTM_*.xlsx")
    return settings, annexes, folder, data, summary


@pytest.fixture(scope="module")
def book(run):
    return openpyxl.load_workbook(run[-1], data_only=True)


@pytest.fixture(scope="module")
def expect(run):
    """Who reported, and the filled-in data by unit code."""
    settings, annexes, _folder, data, _summary = run
    units = [u for u in settings.registry.units]
    return _Expect(settings, annexes, units, data)


class _Expect:
    def __init__(self, settings, annexes, units, data):
        self.settings, self.annexes, self.units, self.data = settings, annexes, units, data
        self.index = {u.code: i for i, u in enumerate(units)}
        self.names = {u.code: u.name for u in units}
        self.reported = [u.code for u in units if u.code != MISSING]

    def weight(self, code: str, row: str) -> float | None:
        value = self.data[code]["TT"][row]["gia_tri"]
        return None if value is None else float(value)


# Reading the summary back (openpyxl, cached values)


def sheet(book, code: str):
    return next(ws for ws in book.worksheets if ws.title.startswith(code))


def rows_with(ws, text: str, col: int) -> list[int]:
    return [r for r in range(1, ws.max_row + 1) if ws.cell(r, col).value == text]


def unit_row(ws, name: str, nth: int = 0) -> int:
    return rows_with(ws, name, 2)[nth]


def footer_row(ws, label: str, nth: int = 0) -> int:
    return rows_with(ws, label, 1)[nth]


def header_col(ws, title: str, below: int | None = None) -> int:
    """Column of the header cell reading ``title`` (or "<code>. title"), above the first data row."""
    last = below or next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == 1)
    for r in range(1, last):
        for c in range(1, ws.max_column + 1):
            value = ws.cell(r, c).value
            if isinstance(value, str) and (value == title or value.endswith(f". {title}")):
                return c
    raise KeyError(title)


def approx(value):
    return pytest.approx(value, rel=1e-9, abs=1e-9)


# TH04 funds


def test_funds_by_source_and_district_total(book, expect):
    ws = sheet(book, "TH04")
    pb04 = expect.annexes["PB04"]
    total_row = footer_row(ws, "Toàn huyện")
    share_row = footer_row(ws, "Tỷ trọng (%)")
    sums = {}
    for k, code in enumerate(SOURCES):
        col = header_col(ws, pb04.row(code).label)
        sums[code] = sum(10 * (expect.index[u] + 1) + k for u in expect.reported
                         if not (u == BROKEN and code == BAD_FUND))
        assert ws.cell(total_row, col).value == approx(sums[code]), code
    grand = sum(sums.values())
    total_col = header_col(ws, "Tổng số")
    assert ws.cell(total_row, total_col).value == approx(grand)
    for _k, code in enumerate(SOURCES):
        col = header_col(ws, pb04.row(code).label)
        assert ws.cell(share_row, col).value == approx(round(sums[code] / grand * 100, 1))
    days = header_col(ws, pb04.row("NGAY_CONG").label + " (công)")
    assert ws.cell(total_row, days).value == sum(100 + expect.index[u] for u in expect.reported)


def test_funds_accumulated_block(book, expect):
    ws = sheet(book, "TH04")
    total_row = footer_row(ws, "Toàn huyện", nth=1)
    col = header_col(ws, "Tổng số")
    expected = sum(2 * fund(expect.index[u], k) for u in expect.reported
                   for k, code in enumerate(SOURCES) if code not in STATE_FUNDS)
    expected += sum(paid(expect.index[u]) for u in expect.reported)
    assert ws.cell(total_row, col).value == approx(expected)


def test_a_value_with_an_error_is_missing_not_zero(book, expect):
    ws = sheet(book, "TH04")
    row = unit_row(ws, expect.names[BROKEN])
    col = header_col(ws, expect.annexes["PB04"].row(BAD_FUND).label)
    assert ws.cell(row, col).value == "—"
    i = expect.index[BROKEN]
    assert ws.cell(row, header_col(ws, "Tổng số")).value == approx(
        sum(fund(i, k) for k, code in enumerate(SOURCES) if code != BAD_FUND))
    # The table goes to the province: it says a value was left out, the cell is in the check report.
    assert ws.cell(row, header_col(ws, "Ghi chú")).value == "Số liệu chưa hợp lệ, đã đề nghị xã sửa"


@pytest.mark.parametrize("code", ["TH01", "TH03", "TH04", "TH05", "TH06", "TH07", "TH08"])
def test_a_unit_that_did_not_report_shows_chua_nop(book, expect, code):
    ws = sheet(book, code)
    row = unit_row(ws, expect.names[MISSING])
    values = [ws.cell(row, c).value for c in range(3, ws.max_column + 1)]
    assert values[0] == "Chưa nộp"
    assert all(v is None for v in values[1:]), "no zeros or values for a unit that did not report"


# TH05, TH06, TH07


def test_disbursement_totals_and_rate(book, expect):
    ws = sheet(book, "TH05")
    row = footer_row(ws, "Toàn huyện")
    works = [(expect.index[u], k) for u in expect.reported for k in range(expect.index[u] % 3)]
    plan = sum(100 * (k + 1) + i for i, k in works)
    paid = sum(50 * (k + 1) for _i, k in works)
    titles = {c.key: c.title for c in expect.annexes["PB05"].columns}
    plan_col, paid_col = header_col(ws, titles["ke_hoach"]), header_col(ws, titles["giai_ngan"])
    # Each money band starts with its "Tổng số" column, then one column per source.
    assert ws.cell(row, plan_col).value == approx(plan)
    assert ws.cell(row, paid_col).value == approx(paid)
    assert ws.cell(row, plan_col + 1).value == approx(
        sum(100 * (k + 1) + i for i, k in works if FUNDERS[k % 2] == FUNDERS[0]))
    assert ws.cell(row, paid_col + 2).value == approx(
        sum(50 * (k + 1) for _i, k in works if FUNDERS[k % 2] == FUNDERS[1]))
    assert ws.cell(row, header_col(ws, titles["ty_le"])).value == approx(round(paid / plan * 100, 1))
    assert ws.cell(row, 3).value == len(works)


def test_debt_totals(book, expect):
    ws = sheet(book, "TH06")
    row = footer_row(ws, "Toàn huyện")
    debtors = [expect.index[u] for u in expect.reported if expect.index[u] % 2]
    titles = {c.key: c.title for c in expect.annexes["PB06"].columns}
    start, paid = sum(200 + i for i in debtors), 50 * len(debtors)
    assert ws.cell(row, header_col(ws, titles["no_dau_ky"])).value == approx(start)
    assert ws.cell(row, header_col(ws, titles["da_xu_ly"])).value == approx(paid)
    assert ws.cell(row, header_col(ws, titles["no_cuoi_ky"])).value == approx(start - paid)


def test_ocop_products_by_stars(book, expect):
    ws = sheet(book, "TH07")
    row = footer_row(ws, "Toàn huyện")
    stars = [3 + (k + expect.index[u]) % 3 for u in expect.reported for k in range(expect.index[u] % 3)]
    for s in (3, 4, 5):
        assert ws.cell(row, header_col(ws, f"{s} sao")).value == stars.count(s)
    assert ws.cell(row, header_col(ws, "Tổng số")).value == len(stars)
    listed = [r for r in range(row, ws.max_row + 1)
              if isinstance(ws.cell(r, 4).value, str) and ws.cell(r, 4).value.startswith("Sản phẩm ")]
    assert len(listed) == len(stars)


# TH08 key indicators


def test_indicator_counts_are_summed_and_rates_weighted(book, expect):
    ws = sheet(book, "TH08")
    row = footer_row(ws, "Toàn huyện")
    pb08 = expect.annexes["PB08"]
    for r in pb08.rows:
        col = header_col(ws, f"{r.label} ({r.unit})")
        values = {u: expect.data[u]["PB08"][r.code]["thuc_hien"] for u in expect.reported
                  if not (u == BROKEN and r.code == BAD_RATE_ROW)}
        if r.aggregate == "sum":
            assert ws.cell(row, col).value == approx(sum(values.values())), r.code
            continue
        pairs = [(v, expect.weight(u, r.weight)) for u, v in values.items()]
        pairs = [(v, w) for v, w in pairs if w is not None]
        expected = sum(v * w for v, w in pairs) / sum(w for _v, w in pairs)
        assert ws.cell(row, col).value == approx(expected), r.code
        plain_mean = sum(values.values()) / len(values)
        if abs(plain_mean - expected) > 1e-6:
            assert ws.cell(row, col).value != approx(plain_mean)


def test_a_unit_without_weight_is_left_out_and_named(book, expect):
    ws = sheet(book, "TH08")
    row = unit_row(ws, expect.names[NO_HOUSEHOLDS])
    households = header_col(ws, expect.annexes["TT"].row("SO_HO").label)
    assert ws.cell(row, households).value == "—"
    notes = [" ".join(str(c.value) for c in ws[r] if c.value is not None)
             for r in range(footer_row(ws, "Toàn huyện") + 1, ws.max_row + 1)]
    assert any(isinstance(n, str) and expect.names[NO_HOUSEHOLDS] in n and "số hộ" in n for n in notes)
    broken = unit_row(ws, expect.names[BROKEN])
    rate = expect.annexes["PB08"].row(BAD_RATE_ROW)
    assert ws.cell(broken, header_col(ws, f"{rate.label} ({rate.unit})")).value == "—"


# TH01, TH02 criteria


def expected_criteria(expect, annex_code: str, targets) -> dict[str, list[str | None]]:
    """Status of every criterion per unit, from the filled indicators (a Lỗi value is missing)."""
    annex = expect.annexes[annex_code]
    out = {}
    for u, _target in targets.items():
        values = {code: row.get("danh_gia") for code, row in expect.data[u][annex_code].items()}
        statuses = []
        for row in criterion_rows(annex):
            got = [values.get(c) if values.get(c) in (MET, NOT_MET) else None
                   for c in row.formulas["danh_gia"].rows]
            statuses.append(NOT_MET if NOT_MET in got else MET if all(g == MET for g in got) else None)
        out[u] = statuses
    return out


def test_criteria_met_per_criterion_per_unit_and_bands(book, expect):
    ws = sheet(book, "TH01")
    annex = expect.annexes["PB01"]
    statuses = expected_criteria(expect, "PB01", {u: None for u in expect.reported})
    met_row = footer_row(ws, "Số xã đạt")
    first = header_col(ws, "1. " + criterion_rows(annex)[0].label.split(": ", 1)[1])
    for k in range(len(criterion_rows(annex))):
        assert ws.cell(met_row, first + k).value == sum(s[k] == MET for s in statuses.values())
    counts = {u: sum(s == MET for s in st) for u, st in statuses.items()}
    assert counts[BROKEN] == TARGETS[expect.index[BROKEN]] - 1  # criterion 1 is unknown
    count_col = header_col(ws, "Kỳ báo cáo")
    for u, n in counts.items():
        assert ws.cell(unit_row(ws, expect.names[u]), count_col).value == n
    assert ws.cell(unit_row(ws, expect.names[BROKEN]), first).value == "—"
    average = footer_row(ws, "Bình quân số tiêu chí đạt/xã")
    assert ws.cell(average, count_col).value == approx(sum(counts.values()) / len(counts))
    bands = {"19 tiêu chí": lambda n: n == 19, "15–18 tiêu chí": lambda n: 15 <= n <= 18,
             "10–14 tiêu chí": lambda n: 10 <= n <= 14, "5–9 tiêu chí": lambda n: 5 <= n <= 9,
             "Dưới 5 tiêu chí": lambda n: n < 5}
    for label, fits in bands.items():
        (block,) = [r for r in rows_with(ws, label, 1) if r > average]
        assert ws.cell(block, 3).value == sum(1 for n in counts.values() if fits(n)), label


def test_criteria_are_recomputed_when_a_file_has_no_cached_values(run, book, expect):
    _settings, annexes, folder, _data, _summary = run
    pb01 = annexes["PB01"]
    ws_in = openpyxl.load_workbook(next(folder.glob(f"{RESAVED}_*.xlsx")), data_only=True)[pb01.sheet]
    criteria = {r.code for r in criterion_rows(pb01)}
    cells = [ws_in.cell(r, 8).value for r in range(1, ws_in.max_row + 1)
             if str(ws_in.cell(r, 1).value) in criteria]
    assert len(cells) == len(criteria) and not any(cells), "the re-saved file keeps no cached values"
    ws = sheet(book, "TH01")
    assert ws.cell(unit_row(ws, expect.names[RESAVED]), header_col(ws, "Kỳ báo cáo")).value == TARGETS[0]


def test_nang_cao_criteria_and_units_that_left_it_empty(book, expect):
    ws = sheet(book, "TH02")
    with_pb02 = {u: None for u in expect.reported if "PB02" in expect.data[u]}
    statuses = expected_criteria(expect, "PB02", with_pb02)
    met_row = footer_row(ws, "Số xã đạt")
    annex = expect.annexes["PB02"]
    first = header_col(ws, "1. " + criterion_rows(annex)[0].label.split(": ", 1)[1])
    for k in range(len(criterion_rows(annex))):
        assert ws.cell(met_row, first + k).value == sum(s[k] == MET for s in statuses.values())
    for u in expect.reported:
        if u not in with_pb02:
            assert ws.cell(unit_row(ws, expect.names[u]), 3).value == "Không kê khai"


# TH03 villages, TH09 components, TH00 status, details


def test_village_totals(book, expect):
    ws = sheet(book, "TH03")
    row = footer_row(ws, "Toàn huyện")
    idx = [expect.index[u] for u in expect.reported]
    villages = sum(5 + i % 4 for i in idx)
    ntm = sum(4 + i % 4 for i in idx)   # every village but the last has a year
    # A model village has a decision year; 15/15 criteria met without one is only proposed.
    model = sum(i % 4 == 0 for i in idx)
    # Columns: STT, Đơn vị, Số thôn, Số thôn kê khai, NTM (số thôn, tỷ lệ), kiểu mẫu (số thôn, …).
    assert [ws.cell(row, c).value for c in (3, 4, 5, 7)] == [villages, villages, ntm, model]
    assert ws.cell(row, 6).value == approx(round(ntm / villages * 100, 1))
    assert ws.cell(row, 8).value == approx(round(model / villages * 100, 1))


def test_villages_meeting_all_criteria_without_a_decision_are_proposed_not_counted(book, expect):
    ws = sheet(book, "TH03")
    proposed = header_col(ws, "Thôn đề nghị, dự kiến công nhận NTM kiểu mẫu (quý/năm: thôn, số "
                              "tiêu chí đạt)")
    names = header_col(ws, "Tên thôn (năm, số quyết định)")
    for u in expect.reported:
        i, row = expect.index[u], unit_row(ws, expect.names[u])
        if i % 3 == 0:   # Thôn 1 at 15/15, no decision, proposed for Q3
            assert "Quý III/2024: Thôn 1 (15/15)" in ws.cell(row, proposed).value
            assert "Thôn 1" not in (ws.cell(row, names).value or "")
        if i % 4 == 0:
            assert (ws.cell(row, names).value or "").startswith("Thôn 2 (2023")
    notes = " ".join(str(c.value) for r in range(footer_row(ws, "Toàn huyện"), ws.max_row)
                     for c in ws[r] if c.value is not None)
    assert "đã có quyết định công nhận" in notes


def test_recognition_by_level_comes_from_decisions(book, expect):
    ws = sheet(book, "TH10")
    recognised = [u for u in expect.reported if expect.index[u] % 2 == 0]
    proposed_now = [u for u in expect.reported if expect.index[u] % 3 == 0]
    total = footer_row(ws, "Số xã đã được công nhận")
    year_cols = [c for c in range(3, ws.max_column + 1)
                 if any(ws.cell(r, c).value == "Năm công nhận" for r in range(7, 12))]
    assert [ws.cell(total, c).value for c in year_cols] == [len(recognised), 0, 0]
    for u in recognised:
        row = unit_row(ws, expect.names[u])
        assert ws.cell(row, year_cols[0]).value == 2015 + expect.index[u] % 5
        assert ws.cell(row, year_cols[0] + 1).value == f"{100 + expect.index[u]}/QĐ-UBND"
    (ntm,) = [r for r in rows_with(ws, "NTM", 1) if r > total]
    assert ws.cell(ntm, 3).value == len(recognised)
    assert ws.cell(ntm, 4).value == ", ".join(expect.names[u] for u in recognised)
    (nc,) = [r for r in rows_with(ws, "NTM nâng cao", 1) if r > total]
    assert ws.cell(nc, 3).value == 0
    listed = [c.value for c in ws[nc] if isinstance(c.value, str) and c.value.startswith("Xã")]
    assert listed == [", ".join(expect.names[u] for u in proposed_now)]


def test_leadership_difficulties_and_proposals_grouped_by_commune(book, expect):
    ws = sheet(book, "TH11")
    pb11 = expect.annexes["PB11"]
    texts = [ws.cell(r, 3).value for r in range(1, ws.max_row + 1)]
    for code in SECTIONS:
        band = next(r for r in range(1, ws.max_row + 1)
                    if ws.cell(r, 1).value == pb11.row(code).label)
        for k, u in enumerate(expect.reported):
            assert ws.cell(band + 1 + k, 2).value == expect.names[u]
        for u in expect.reported:
            assert f"{code} của đơn vị {u}.\n- Ý thứ hai." in texts


def _block(ws, caption: str) -> int:
    """Row of a block's caption (a table drawn under another on the same sheet)."""
    return next(r for r in range(1, ws.max_row + 1)
                if any(c.value == caption for c in ws[r]))


def test_key_indicators_against_last_year_and_the_plan(book, expect):
    ws = sheet(book, "TH08b")
    top = _block(ws, "Chỉ tiêu")
    pb08 = expect.annexes["PB08"]
    for r in pb08.rows:
        if r.aggregate != "sum":
            continue
        (row,) = [k for k in range(top, ws.max_row + 1) if ws.cell(k, 2).value == r.label]
        now = sum(expect.data[u]["PB08"][r.code]["thuc_hien"] for u in expect.reported)
        values = [ws.cell(row, c).value for c in range(3, 9)]
        assert values == [r.unit, now, now - len(expect.reported), len(expect.reported), 2 * now,
                          approx(50)], r.code


def test_funds_against_the_annual_plan(book, expect):
    ws = sheet(book, "TH04")
    top = _block(ws, "D. TỔNG VỐN HUY ĐỘNG SO VỚI KẾ HOẠCH NĂM")
    for u in expect.reported:
        (row,) = [k for k in range(top, ws.max_row + 1) if ws.cell(k, 2).value == expect.names[u]]
        pb04 = expect.data[u]["PB04"]
        plan = sum(pb04[c]["ke_hoach"] for c in SOURCES)
        to_date = sum(pb04[c]["luy_ke"] for c in SOURCES)
        assert [ws.cell(row, c).value for c in (3, 4, 5)] == [
            approx(plan), approx(to_date), approx(round(to_date / plan * 100, 1))]


def test_criteria_gained_and_lost_since_last_year(book, expect):
    ws = sheet(book, "TH01")
    gained, lost = header_col(ws, "Đạt thêm"), header_col(ws, "Không còn đạt")
    units = {i: u for u, i in expect.index.items()}
    assert ws.cell(unit_row(ws, expect.names[units[LOST[0]]]), lost).value == str(LOST[1])
    assert ws.cell(unit_row(ws, expect.names[units[GAINED[0]]]), gained).value == str(GAINED[1])
    others = [u for u in expect.reported if expect.index[u] not in (LOST[0], GAINED[0])]
    assert all(ws.cell(unit_row(ws, expect.names[u]), lost).value is None for u in others)
    heading = _block(ws, "XÃ CÓ TIÊU CHÍ KHÔNG CÒN ĐẠT SO VỚI 31/12 NĂM TRƯỚC")
    listed = [c.value for c in ws[heading + 1] if c.value]
    assert listed == [f"- {expect.names[units[LOST[0]]]} (tiêu chí {LOST[1]})"]


def test_new_ocop_products_and_disbursement_by_component(book, expect):
    ws = sheet(book, "TH07")
    new_col = header_col(ws, "Trong đó: công nhận mới năm 2024")
    for u in expect.reported:
        has = expect.index[u] % 3 > 0
        assert ws.cell(unit_row(ws, expect.names[u]), new_col).value == int(has)
    ws = sheet(book, "TH05")
    top = _block(ws, "B. THEO NỘI DUNG THÀNH PHẦN")
    works = [(expect.index[u], k) for u in expect.reported for k in range(expect.index[u] % 3)]
    rows = {ws.cell(r, 2).value: r for r in range(top, ws.max_row + 1)}
    second = next(label for label in rows if isinstance(label, str) and label.startswith("Nội dung 2:"))
    assert [ws.cell(rows[second], c).value for c in (3, 4, 5)] == [
        len(works), approx(sum(100 * (k + 1) + i for i, k in works)),
        approx(sum(50 * (k + 1) for _i, k in works))]
    first = next(label for label in rows if isinstance(label, str) and label.startswith("Nội dung 1:"))
    assert ws.cell(rows[first], 3).value == 0


def test_next_period_targets_by_commune(book, expect):
    ws = sheet(book, "TH12")
    units = {i: u for u, i in expect.index.items()}
    band = _block(ws, expect.names[units[0]])
    assert ws.cell(band + 1, 2).value.startswith("Tiêu chí 1:")
    assert TARGET_TEXT in [c.value for c in ws[band + 1]]


def test_component_texts_stay_text_and_funds_add_up(run, book, expect):
    ws = sheet(book, "TH09")
    cells = [c for row in ws.iter_rows() for c in row if c.value == LINK_TEXT]
    assert len(cells) == 1 and cells[0].data_type == "s"
    with zipfile.ZipFile(run[-1]) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                formulas = re.findall(r"<f>(.*?)</f>", z.read(name).decode())
                assert not any("HYPERLINK" in f for f in formulas), name
    total = footer_row(ws, "Tổng kinh phí toàn huyện")
    expected = sum(k + expect.index[u] for u in expect.reported for k in range(1, 12))
    assert ws.cell(total, ws.max_column).value == approx(expected)


def test_submission_status(book, expect):
    ws = sheet(book, "TH00")
    status = header_col(ws, "Tình trạng")
    got = {u: ws.cell(unit_row(ws, expect.names[u]), status).value for u in expect.index}
    assert got[MISSING] == "Chưa nộp"
    assert got[BROKEN] == got[NO_HOUSEHOLDS] == "Có lỗi"
    assert sum(v == "Hợp lệ" for v in got.values()) == len(expect.units) - 3
    assert ws.cell(footer_row(ws, "Số đơn vị chưa nộp"), status).value == 1


def test_details_trace_every_value_to_its_cell(book, expect):
    ws = sheet(book, "Dữ liệu chi tiết")
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "STT")
    titles = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    rows = [{t: ws.cell(r, c).value for t, c in titles.items()} for r in range(header + 1, ws.max_row + 1)]
    i = expect.index[RESAVED]
    (hit,) = [r for r in rows if r["Mã đơn vị"] == RESAVED and r["Phụ biểu"] == "PB04"
              and r["Mã dòng"] == "I.2" and r["Cột"] == "Thực hiện kỳ báo cáo"]
    assert hit["Giá trị"] == fund(i, 1) and re.fullmatch(r"[A-Z]+[0-9]+", hit["Ô"])
    assert not [r for r in rows if r["Mã đơn vị"] == BROKEN and r["Giá trị"] == "abc"]
    assert not [r for r in rows if r["Mã đơn vị"] == MISSING]
    dates = [r["Giá trị"] for r in rows if r["Mã đơn vị"] == RESAVED and r["Mã dòng"] == "NGAY_LAP"]
    assert dates == [datetime(2024, 6, 10)]


# The file itself


def test_deterministic_except_created_time(filled, tmp_path):
    from pipeline.district.tables import build_district
    from pipeline.outputs.summary import write_summary
    from pipeline.run import run_checks

    settings, _annexes, folder, _data = filled
    result = run_checks(settings, settings.period, folder, quiet=True)
    district = build_district(result)
    a = write_summary(result, district, tmp_path / "a.xlsx")
    b = write_summary(result, district, tmp_path / "b.xlsx")
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        assert za.namelist() == zb.namelist()
        for name in za.namelist():
            if name != "docProps/core.xml":
                assert za.read(name) == zb.read(name), name


def test_a_run_where_nobody_reported_still_writes_a_valid_summary(tmp_path):
    settings = load_settings()
    (tmp_path / "in").mkdir()
    assert consolidate(settings, input_dir=tmp_path / "in", output_dir=tmp_path / "out", quiet=True) == 0
    (summary,) = (tmp_path / "out").glob("TongHop_NTM_*.xlsx")
    ws = sheet(openpyxl.load_workbook(summary, data_only=True), "TH04")
    rows = [unit_row(ws, u.name) for u in settings.registry.units]
    assert all(ws.cell(r, 3).value == "Chưa nộp" for r in rows)
    assert ws.cell(footer_row(ws, "Toàn huyện"), 3).value == 0


# LibreOffice


@pytest.fixture(scope="module")
def pdf(run, tmp_path_factory):
    require_soffice()
    return convert(run[-1], "pdf", tmp_path_factory.mktemp("pdf"), recalc=False)


def test_libreoffice_recalculates_every_formula_to_its_cached_value(run, tmp_path):
    require_soffice()
    summary = run[-1]
    recalculated = recalculated_values(summary, tmp_path)
    checked = 0
    for sheet, coord, want, formula in formula_cells(summary):
        got = recalculated[sheet].get(coord)
        where = f"{sheet}!{coord} {formula}"
        if isinstance(want, (int, float)) and not isinstance(want, bool):
            assert isinstance(got, (int, float)) and got == pytest.approx(want, rel=1e-9), where
        else:
            assert (got or None) == (want or None), where
        checked += 1
    assert checked > 300


def test_pdf_is_a4_landscape_with_the_table_columns_on_every_page(pdf):
    import shutil
    import subprocess

    sizes = pdf_page_sizes(pdf)
    assert sizes and all(size == (841.9, 595.3) for size in sizes)
    if shutil.which("pdftotext") is None:
        # CI installs poppler-utils with LibreOffice; there a missing tool is a failure.
        (pytest.fail if os.environ.get("NTM_REQUIRE_LIBREOFFICE") else pytest.skip)(
            "pdftotext (poppler-utils) not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")[:len(sizes)]
    # Header rows repeat on every page, and a sheet too wide for one page at a legible size
    # repeats its STT and unit columns on each page it spans. Only the detail sheet's title page
    # (its table is not printed) has no table.
    assert all("STT" in page for page in pages if "DỮ LIỆU CHI TIẾT" not in page)
