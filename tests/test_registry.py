"""Unit registries built from the `vietnamadminunits` data."""

from __future__ import annotations

import pytest

from pipeline.config.regions import REGIONS
from pipeline.config.registry import (
    REGION_OF_PROVINCE,
    Registry,
    RegistryError,
    Unit,
    default_region,
    find_district,
    provinces,
    registry_for_district,
    registry_for_province,
)

# Typed from the spec (annexes.md, "Units and periods"): the independent expectation.
THUONG_XUAN_CODES = (
    "15607 15610 15619 15622 15628 15631 15634 15637 "
    "15640 15643 15646 15649 15652 15655 15658 15661"
).split()
THUONG_XUAN_NAMES = {
    "15646": "Thị trấn Thường Xuân",
    "15607": "Xã Bát Mọt",
    "15610": "Xã Yên Nhân",
    "15619": "Xã Xuân Lẹ",
    "15622": "Xã Vạn Xuân",
    "15628": "Xã Lương Sơn",
    "15631": "Xã Xuân Cao",
    "15634": "Xã Luận Thành",
    "15637": "Xã Luận Khê",
    "15640": "Xã Xuân Thắng",
    "15643": "Xã Xuân Lộc",
    "15649": "Xã Xuân Dương",
    "15652": "Xã Thọ Thanh",
    "15655": "Xã Ngọc Phụng",
    "15658": "Xã Xuân Chinh",
    "15661": "Xã Tân Thành",
}


@pytest.fixture(scope="module")
def thuong_xuan() -> Registry:
    return registry_for_district("396")


def test_thuong_xuan_has_exactly_its_16_units(thuong_xuan: Registry) -> None:
    assert [unit.code for unit in thuong_xuan.units] == THUONG_XUAN_CODES
    assert {unit.code: unit.name for unit in thuong_xuan.units} == THUONG_XUAN_NAMES


def test_thuong_xuan_parent(thuong_xuan: Registry) -> None:
    got = (
        thuong_xuan.level,
        thuong_xuan.layout,
        thuong_xuan.code,
        thuong_xuan.name,
        thuong_xuan.province_code,
        thuong_xuan.province_name,
    )
    assert got == ("huyen", "legacy", "396", "Huyện Thường Xuân", "38", "Tỉnh Thanh Hóa")


def test_unit_fields(thuong_xuan: Registry) -> None:
    assert thuong_xuan.unit("15652") == Unit("15652", "Xã Thọ Thanh", "Thọ Thanh", "Xã")
    assert thuong_xuan.unit("15646") == Unit("15646", "Thị trấn Thường Xuân", "Thường Xuân", "Thị trấn")


@pytest.mark.parametrize("code", ["15652", 15652, "015652", " 15652 "])
def test_unit_lookup_normalizes_code(thuong_xuan: Registry, code: str | int) -> None:
    unit = thuong_xuan.unit(code)  # type: ignore[arg-type]
    assert unit is not None and unit.code == "15652"


@pytest.mark.parametrize("code", ["99999", "abc", "", "15014"])
def test_unit_lookup_unknown(thuong_xuan: Registry, code: str) -> None:
    assert thuong_xuan.unit(code) is None


@pytest.mark.parametrize("code", ["396", 396, "0396", " 396"])
def test_district_code_forms(code: str | int) -> None:
    assert registry_for_district(code).code == "396"  # type: ignore[arg-type]


def test_unknown_district_raises_vietnamese_message() -> None:
    with pytest.raises(RegistryError) as info:
        registry_for_district("999")
    message = str(info.value)
    assert "Không tìm thấy huyện có mã '999'" in message
    assert "trước 01/7/2025" in message
    assert "tim-huyen" in message


@pytest.mark.parametrize("code", ["abc", "1396", "0", "-5", "3.96"])
def test_malformed_district_code(code: str) -> None:
    with pytest.raises(RegistryError) as info:
        registry_for_district(code)
    assert "không hợp lệ" in str(info.value)


def test_district_without_communes_is_refused() -> None:
    # Bạch Long Vĩ (Hải Phòng) is an island district with no commune-level unit.
    with pytest.raises(RegistryError) as info:
        registry_for_district("318")
    assert "không có đơn vị cấp xã" in str(info.value)


def test_province_2025() -> None:
    registry = registry_for_province("38")
    assert (registry.level, registry.layout, registry.code, registry.name) == (
        "tinh",
        "2025",
        "38",
        "Tỉnh Thanh Hóa",
    )
    assert registry.province_code == "38"
    assert len(registry.units) > 100
    assert all(len(unit.code) == 5 and unit.code.isdigit() for unit in registry.units)
    assert [unit.code for unit in registry.units] == sorted(unit.code for unit in registry.units)
    assert {unit.kind for unit in registry.units} <= {"Xã", "Phường", "Đặc khu"}


def test_province_legacy_holds_every_ward_of_the_province() -> None:
    registry = registry_for_province(38, layout="legacy")
    assert (registry.level, registry.layout) == ("tinh", "legacy")
    assert len(registry.units) == 547  # "Thanh Hóa: 547 before 2025" (annexes.md)
    assert set(THUONG_XUAN_CODES) <= set(registry.codes)


def test_unknown_province_and_layout() -> None:
    with pytest.raises(RegistryError) as info:
        registry_for_province("99")
    assert "Không tìm thấy tỉnh có mã '99'" in str(info.value)
    assert "38 Thanh Hóa" in str(info.value)
    with pytest.raises(RegistryError):
        registry_for_province("38", layout="2020")


# (text, expected code or None)
MATCHES = [
    ("tho thanh", "15652"),
    ("Xã Thọ Thanh", "15652"),
    ("THỌ THANH", "15652"),
    ("  xã   thọ thanh ", "15652"),
    ("XaThoThanh", "15652"),
    ("ThoThanh", "15652"),
    ("Thường Xuân", "15646"),
    ("TT Thường Xuân", "15646"),
    ("Thị trấn Thường Xuân", "15646"),
    ("Xuân Lẹ", "15619"),
    ("Xuan Le", "15619"),
    ("Phường Thọ Thanh", None),  # the type given must agree
    ("Xã Thường Xuân", None),
    ("Xuân", None),
    ("Hàm Rồng", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "exp"), MATCHES)
def test_match_name(thuong_xuan: Registry, text: str, exp: str | None) -> None:
    got = thuong_xuan.match_name(text)
    assert (got.code if got else None) == exp


def test_match_name_ambiguous_short_name_needs_the_type() -> None:
    registry = Registry(
        level="huyen",
        code="001",
        name="Huyện Thử",
        province_code="01",
        province_name="Thành phố Hà Nội",
        units=(
            Unit.from_name("00002", "Xã Yên Viên"),
            Unit.from_name("00001", "Thị trấn Yên Viên"),
        ),
    )
    assert registry.codes == ("00001", "00002")  # sorted by code
    assert registry.match_name("Yên Viên") is None
    assert registry.match_name("Xã Yên Viên") == registry.unit("00002")
    assert registry.match_name("thi tran yen vien") == registry.unit("00001")


def test_find_district() -> None:
    assert find_district("thuong xuan") == [("396", "Huyện Thường Xuân", "Tỉnh Thanh Hóa")]
    assert find_district("Huyện THƯỜNG XUÂN") == [("396", "Huyện Thường Xuân", "Tỉnh Thanh Hóa")]
    assert find_district("Thường Xuân, Thanh Hóa") == [("396", "Huyện Thường Xuân", "Tỉnh Thanh Hóa")]
    assert find_district("Thường Xuân, Nghệ An") == []
    assert find_district("") == []
    codes = [code for code, _, _ in find_district("Thanh Hóa")]
    assert codes[0] == "380"  # Thành phố Thanh Hóa: the exact name comes first
    assert "396" in [code for code, _, _ in find_district("xuan")]


@pytest.mark.parametrize("layout", ["legacy", "2025"])
def test_every_province_has_a_region(layout: str) -> None:
    codes = {code for code, _ in provinces(layout)}
    assert len(codes) == {"legacy": 63, "2025": 34}[layout]
    assert set(REGION_OF_PROVINCE[layout]) == codes
    assert set(REGION_OF_PROVINCE[layout].values()) <= set(REGIONS)


def test_default_region() -> None:
    assert default_region("38", "legacy") == "BTB"
    assert default_region("38") == "BTB"
    # Code 52 is Bình Định before 2025 and Gia Lai after.
    assert default_region("52", "legacy") == "DHNTB"
    assert default_region("52", "2025") == "TN"
