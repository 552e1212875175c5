"""Criteria catalogues: the shipped CSV files load, and broken copies are refused by line."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from pipeline.annexes.catalogue import (
    DEFAULT_CATALOGUES,
    HEADER,
    Catalogue,
    CatalogueError,
    CatalogueRow,
    load_catalogue,
)
from pipeline.config.paths import CATALOGUE_DIR
from pipeline.config.regions import REGIONS, region_code

NTM = CATALOGUE_DIR / DEFAULT_CATALOGUES["PB01"]
NANG_CAO = CATALOGUE_DIR / DEFAULT_CATALOGUES["PB02"]

GOOD_ROWS = [
    "I,nhom,Quy hoạch,,,,,,,QĐ 318/QĐ-TTg",
    "1,tieu_chi,Quy hoạch,,Đạt,,,,,QĐ 318/QĐ-TTg",
    "1.1,chi_tieu,Có quy hoạch chung xây dựng xã,,Đạt,,,,,QĐ 318/QĐ-TTg",
    "II,nhom,Kinh tế,,,,,,,QĐ 318/QĐ-TTg",
    "2,tieu_chi,Thu nhập,,Đạt,,,,,QĐ 318/QĐ-TTg",
    "2.1,chi_tieu,Thu nhập bình quân,triệu đồng/người,≥ 48,>=,48,TDMNPB=39;BTB=43,x,QĐ 318/QĐ-TTg",
    "2.2,chi_tieu,Tỷ lệ nghèo đa chiều,%,≤ 6%,<=,6,TDMNPB=13,x,QĐ 318/QĐ-TTg",
]


def write_catalogue(folder: Path, rows: list[str], name: str = "thu.csv") -> Path:
    path = folder / name
    path.write_text(",".join(HEADER) + "\n" + "\n".join(rows) + "\n", encoding="utf-8-sig")
    return path


@pytest.fixture(scope="module")
def ntm() -> Catalogue:
    return load_catalogue(NTM)


@pytest.fixture(scope="module")
def nang_cao() -> Catalogue:
    return load_catalogue(NANG_CAO)


# --- shipped files ------------------------------------------------------------------------------


def test_catalogue_dir_is_in_repo() -> None:
    assert CATALOGUE_DIR == Path(__file__).resolve().parent.parent / "templates" / "danh_muc"
    for name in DEFAULT_CATALOGUES.values():
        assert (CATALOGUE_DIR / name).is_file()


@pytest.mark.parametrize("path", [NTM, NANG_CAO], ids=["ntm", "nang_cao"])
def test_shipped_file_is_bom_utf8_nfc(path: Path) -> None:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert unicodedata.is_normalized("NFC", text)
    assert text.splitlines()[0] == ",".join(HEADER)


def test_ntm_has_5_groups_and_19_criteria(ntm: Catalogue) -> None:
    assert ntm.name == "tieu_chi_ntm"
    assert [g.code for g in ntm.groups()] == ["I", "II", "III", "IV", "V"]
    assert [c.code for c in ntm.criteria()] == [str(n) for n in range(1, 20)]
    by_group = {g.code: [c.code for c in ntm.criteria_of(g.code)] for g in ntm.groups()}
    assert by_group == {
        "I": ["1"], "II": [str(n) for n in range(2, 10)], "III": ["10", "11", "12", "13"],
        "IV": ["14", "15", "16", "17"], "V": ["18", "19"],
    }


def test_ntm_criterion_names_follow_spec(ntm: Catalogue) -> None:
    assert ntm.row("3").label == "Thủy lợi và phòng, chống thiên tai"
    assert ntm.row("13").label == "Tổ chức sản xuất và phát triển kinh tế nông thôn"
    assert ntm.row("18").label == "Hệ thống chính trị và tiếp cận pháp luật"
    assert ntm.row("II").label == "Hạ tầng kinh tế - xã hội"


def test_nang_cao_has_19_criteria(nang_cao: Catalogue) -> None:
    assert [c.code for c in nang_cao.criteria()] == [str(n) for n in range(1, 20)]
    labels = {c.label for c in nang_cao.criteria()}
    for name in ("Giáo dục", "Y tế", "Hành chính công", "Tiếp cận pháp luật", "Môi trường",
                 "Chất lượng môi trường sống", "Quốc phòng và an ninh"):
        assert name in labels


@pytest.mark.parametrize("which", ["ntm", "nang_cao"])
def test_every_criterion_has_indicators(which: str, request: pytest.FixtureRequest) -> None:
    catalogue: Catalogue = request.getfixturevalue(which)
    for criterion in catalogue.criteria():
        indicators = catalogue.indicators_of(criterion.code)
        assert indicators, criterion.code
        for item in indicators:
            assert item.parent == criterion.code
            assert item.code.startswith(criterion.code + ".")


@pytest.mark.parametrize("which", ["ntm", "nang_cao"])
def test_rows_are_consistent(which: str, request: pytest.FixtureRequest) -> None:
    catalogue: Catalogue = request.getfixturevalue(which)
    codes = [r.code for r in catalogue.rows]
    assert len(codes) == len(set(codes))
    for item in catalogue.rows:
        assert item.label and item.source.startswith("QĐ 318/QĐ-TTg")
        assert set(item.regional) <= set(REGIONS)
        if item.threshold is not None or item.regional:
            assert item.compare in (">=", "<=") and item.kind == "indicator"
        if item.unit == "%":
            values = [v for v in (item.threshold, *item.regional.values()) if v is not None]
            assert all(0 <= v <= 100 for v in values), item.code


def test_ntm_regional_thresholds_are_recorded(ntm: Catalogue) -> None:
    income = ntm.row("10.1")
    assert income.unit == "triệu đồng/người" and income.compare == ">="
    assert set(income.regional) == set(REGIONS)
    poverty = ntm.row("11.1")
    assert poverty.compare == "<=" and poverty.threshold_for("TDMNPB") == 13


# --- thresholds ---------------------------------------------------------------------------------


def make_row(compare: str, threshold: float | None, regional: dict[str, float]) -> CatalogueRow:
    return CatalogueRow(
        code="9.9", kind="indicator", label="Thử", unit="%", requirement="", compare=compare,
        threshold=threshold, regional=regional, to_check=False, source="thử", parent="9",
    )


def test_threshold_for_regional_then_default() -> None:
    row = make_row(">=", 70, {"BTB": 80, "TDMNPB": 65})
    assert row.threshold_for("BTB") == 80
    assert row.threshold_for("TDMNPB") == 65
    assert row.threshold_for("DBSH") == 70  # no regional value: default
    assert row.threshold_for(None) == 70
    assert row.threshold_for("Bắc Trung Bộ") == 80  # Vietnamese name accepted
    assert make_row(">=", None, {"BTB": 80}).threshold_for("DNB") is None
    with pytest.raises(ValueError, match="không hợp lệ"):
        row.threshold_for("Miền Tây")


def test_meets_greater_or_equal() -> None:
    row = make_row(">=", 70, {"BTB": 80})
    assert row.meets(70, None) is True
    assert row.meets(69.9, None) is False
    assert row.meets(75, "BTB") is False
    assert row.meets(80, "BTB") is True
    assert row.meets(69.99999999999, None) is True  # float noise from Excel


def test_meets_less_or_equal() -> None:
    row = make_row("<=", 6, {"TDMNPB": 13})
    assert row.meets(6, None) is True
    assert row.meets(6.5, None) is False
    assert row.meets(12, "TDMNPB") is True
    assert row.meets(13.5, "TDMNPB") is False


def test_meets_without_threshold_is_none(ntm: Catalogue) -> None:
    assert ntm.row("1.1").meets(1, "BTB") is None
    assert make_row(">=", None, {}).meets(50, None) is None


def test_region_code() -> None:
    assert region_code("btb") == "BTB"
    assert region_code("Đồng bằng sông Cửu Long") == "DBSCL"
    assert region_code("dong bang song hong") == "DBSH"


# --- the loader ---------------------------------------------------------------------------------


def test_loader_derives_parents_and_reads_fields(tmp_path: Path) -> None:
    catalogue = load_catalogue(write_catalogue(tmp_path, GOOD_ROWS))
    assert catalogue.name == "thu"
    assert catalogue.row("1").parent == "I" and catalogue.row("2").parent == "II"
    assert catalogue.row("2.2").parent == "2" and catalogue.row("I").parent is None
    income = catalogue.row("2.1")
    assert income.threshold == 48 and dict(income.regional) == {"TDMNPB": 39, "BTB": 43}
    assert income.to_check and not catalogue.row("1.1").to_check
    assert [r.code for r in catalogue.indicators_of("2")] == ["2.1", "2.2"]
    with pytest.raises(KeyError):
        catalogue.row("99")


def test_loader_without_groups_and_with_blank_lines(tmp_path: Path) -> None:
    rows = [r for r in GOOD_ROWS if ",nhom," not in r]
    rows.insert(2, "")
    catalogue = load_catalogue(write_catalogue(tmp_path, rows))
    assert catalogue.groups() == [] and catalogue.row("1").parent is None


def test_loader_normalizes_to_nfc(tmp_path: Path) -> None:
    rows = list(GOOD_ROWS)
    rows[1] = unicodedata.normalize("NFD", rows[1])
    catalogue = load_catalogue(write_catalogue(tmp_path, rows))
    assert catalogue.row("1").label == unicodedata.normalize("NFC", "Quy hoạch")
    assert catalogue.row("1").requirement == "Đạt"


def test_loader_accepts_symbols_and_decimal_comma(tmp_path: Path) -> None:
    rows = list(GOOD_ROWS)
    rows[5] = '2.1,chi_tieu,Thu nhập,triệu đồng/người,"≥ 52,8",≥,"52,8",BTB=47.3,,QĐ 318/QĐ-TTg'
    catalogue = load_catalogue(write_catalogue(tmp_path, rows))
    assert catalogue.row("2.1").compare == ">=" and catalogue.row("2.1").threshold == 52.8


# Each broken copy: (replacement rows, line expected in the message, words expected).
BROKEN = {
    "duplicate code": (
        GOOD_ROWS + ["2.1,chi_tieu,Trùng,,Đạt,,,,,QĐ 318/QĐ-TTg"], 9, "mã '2.1' bị trùng"),
    "unknown region": (
        GOOD_ROWS[:5] + ["2.1,chi_tieu,Thu nhập,%,≥ 48,>=,48,MIENTAY=40,,x"] + GOOD_ROWS[6:],
        7, "mã vùng 'MIENTAY'"),
    "bad number": (
        GOOD_ROWS[:5] + ["2.1,chi_tieu,Thu nhập,%,≥ 48,>=,bốn tám,,,x"] + GOOD_ROWS[6:],
        7, "không phải là số"),
    "bad regional number": (
        GOOD_ROWS[:5] + ["2.1,chi_tieu,Thu nhập,%,≥ 48,>=,48,BTB=abc,,x"] + GOOD_ROWS[6:],
        7, "không phải là số"),
    "orphan indicator": (
        GOOD_ROWS[:3] + ["II,nhom,Kinh tế,,,,,,,x", "1.2,chi_tieu,Lạc chỗ,,Đạt,,,,,x"], 6,
        "không nằm dưới tiêu chí nào"),
    "indicator under the wrong criterion": (
        GOOD_ROWS + ["3.1,chi_tieu,Sai tiền tố,,Đạt,,,,,x"], 9, "phải bắt đầu bằng '2.'"),
    "criterion without indicator": (
        GOOD_ROWS[:4] + ["3,tieu_chi,Trống,,Đạt,,,,,x"] + GOOD_ROWS[4:], 6, "chưa có chỉ tiêu nào"),
    "bad loai": (
        GOOD_ROWS + ["2.3,chỉ tiêu,Sai loại,,Đạt,,,,,x"], 9, "cột loai"),
    "bad so_sanh": (
        GOOD_ROWS[:5] + ["2.1,chi_tieu,Thu nhập,%,≥ 48,>,48,,,x"] + GOOD_ROWS[6:], 7,
        "cột so_sanh"),
    "threshold without so_sanh": (
        GOOD_ROWS[:5] + ["2.1,chi_tieu,Thu nhập,%,≥ 48,,48,,,x"] + GOOD_ROWS[6:], 7,
        "so_sanh trống"),
    "bad flag": (
        GOOD_ROWS[:2] + ["1.1,chi_tieu,Quy hoạch,,Đạt,,,,có,x"] + GOOD_ROWS[3:], 4,
        "can_doi_chieu"),
    "unquoted comma in a field": (
        GOOD_ROWS[:5] + ["2.1,chi_tieu,Thu nhập,%,≥ 52,8,>=,52.8,,,x"] + GOOD_ROWS[6:], 7,
        "nhiều hơn 10 cột"),
    "bad code form": (
        GOOD_ROWS + ["2.a,chi_tieu,Sai mã,,Đạt,,,,,x"], 9, "không đúng dạng"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_copy_names_file_and_line(case: str, tmp_path: Path) -> None:
    rows, line, words = BROKEN[case]
    path = write_catalogue(tmp_path, rows, name="tieu_chi_ntm.csv")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    message = str(info.value)
    assert message.startswith(f"Danh mục tieu_chi_ntm.csv, dòng {line}: "), message
    assert words in message
    assert info.value.line == line and info.value.file == "tieu_chi_ntm.csv"


def test_broken_copy_of_shipped_file(tmp_path: Path) -> None:
    lines = NTM.read_text(encoding="utf-8-sig").splitlines()
    lines.insert(12, lines[11])  # duplicate the record on file line 12 as line 13
    path = tmp_path / "tieu_chi_ntm.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    code = lines[11].split(",")[0]
    expected = rf"^Danh mục tieu_chi_ntm.csv, dòng 13: mã '{code}' bị trùng"
    with pytest.raises(CatalogueError, match=expected):
        load_catalogue(path)


def test_wrong_header(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("ma,loai,noi_dung\n1,tieu_chi,A\n", encoding="utf-8-sig")
    with pytest.raises(CatalogueError, match=r"^Danh mục x.csv, dòng 1: tiêu đề cột không đúng"):
        load_catalogue(path)


def test_missing_empty_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="không tìm thấy tệp"):
        load_catalogue(tmp_path / "khong_co.csv")
    empty = tmp_path / "rong.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(CatalogueError, match="tệp trống"):
        load_catalogue(empty)
    legacy = tmp_path / "cu.csv"
    text = ",".join(HEADER) + "\n1,tieu_chi,Quy hoạch\n"
    legacy.write_bytes(unicodedata.normalize("NFD", text).encode("cp1258"))
    with pytest.raises(CatalogueError, match="UTF-8"):
        load_catalogue(legacy)
