"""Units and their parent (a district or a province), read from the `vietnamadminunits` data.

Two layouts exist. "legacy" is the list before 01/7/2025 (63 provinces, 696 districts,
10,040 commune-level units); "2025" is the list from 01/7/2025 (34 provinces, 3,321
communes, no district level). A district registry always uses the legacy list; a
province registry uses either.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pipeline.text.fold import fold
from pipeline.text.names import split_unit_prefix, strip_unit_prefix

LEVEL_DISTRICT = "huyen"
LEVEL_PROVINCE = "tinh"
LEVELS = (LEVEL_DISTRICT, LEVEL_PROVINCE)

LAYOUT_LEGACY = "legacy"
LAYOUT_2025 = "2025"
LAYOUTS = (LAYOUT_2025, LAYOUT_LEGACY)
LAYOUT_LABELS = {LAYOUT_LEGACY: "trước 01/7/2025", LAYOUT_2025: "từ 01/7/2025"}

UNIT_KINDS = ("Xã", "Phường", "Thị trấn", "Đặc khu")

DISTRICT_CODE_WIDTH = 3
PROVINCE_CODE_WIDTH = 2
UNIT_CODE_WIDTH = 5

_TABLE_OF_LAYOUT = {LAYOUT_LEGACY: "admin_units_legacy", LAYOUT_2025: "admin_units"}
_FIND_DISTRICT_HINT = "Dùng lệnh `python -m pipeline tim-huyen <tên>` để tra mã."


# Default region of each province, by layout: the same code can name different provinces
# in the two lists (52 is Bình Định before 2025 and Gia Lai after). Before 2025 this is the
# usual seven-region split (Quảng Ninh in ĐBSH, as in the socio-economic regions).
# NOTE: a merged 2025 province can span two old regions (Gia Lai took in Bình Định,
# Tây Ninh took in Long An...); the value is the default only, and each commune's own
# workbook states the region it applies.
REGION_OF_PROVINCE: dict[str, dict[str, str]] = {
    LAYOUT_LEGACY: {
        # Trung du và miền núi phía Bắc
        "02": "TDMNPB", "04": "TDMNPB", "06": "TDMNPB", "08": "TDMNPB", "10": "TDMNPB",
        "11": "TDMNPB", "12": "TDMNPB", "14": "TDMNPB", "15": "TDMNPB", "17": "TDMNPB",
        "19": "TDMNPB", "20": "TDMNPB", "24": "TDMNPB", "25": "TDMNPB",
        # Đồng bằng sông Hồng
        "01": "DBSH", "22": "DBSH", "26": "DBSH", "27": "DBSH", "30": "DBSH", "31": "DBSH",
        "33": "DBSH", "34": "DBSH", "35": "DBSH", "36": "DBSH", "37": "DBSH",
        # Bắc Trung Bộ
        "38": "BTB", "40": "BTB", "42": "BTB", "44": "BTB", "45": "BTB", "46": "BTB",
        # Duyên hải Nam Trung Bộ
        "48": "DHNTB", "49": "DHNTB", "51": "DHNTB", "52": "DHNTB", "54": "DHNTB",
        "56": "DHNTB", "58": "DHNTB", "60": "DHNTB",
        # Tây Nguyên
        "62": "TN", "64": "TN", "66": "TN", "67": "TN", "68": "TN",
        # Đông Nam Bộ
        "70": "DNB", "72": "DNB", "74": "DNB", "75": "DNB", "77": "DNB", "79": "DNB",
        # Đồng bằng sông Cửu Long
        "80": "DBSCL", "82": "DBSCL", "83": "DBSCL", "84": "DBSCL", "86": "DBSCL",
        "87": "DBSCL", "89": "DBSCL", "91": "DBSCL", "92": "DBSCL", "93": "DBSCL",
        "94": "DBSCL", "95": "DBSCL", "96": "DBSCL",
    },
    LAYOUT_2025: {
        # Trung du và miền núi phía Bắc
        "04": "TDMNPB", "08": "TDMNPB", "11": "TDMNPB", "12": "TDMNPB", "14": "TDMNPB",
        "15": "TDMNPB", "19": "TDMNPB", "20": "TDMNPB", "25": "TDMNPB",
        # Đồng bằng sông Hồng
        "01": "DBSH", "22": "DBSH", "24": "DBSH", "31": "DBSH", "33": "DBSH", "37": "DBSH",
        # Bắc Trung Bộ
        "38": "BTB", "40": "BTB", "42": "BTB", "44": "BTB", "46": "BTB",
        # Duyên hải Nam Trung Bộ
        "48": "DHNTB", "51": "DHNTB", "56": "DHNTB",
        # Tây Nguyên
        "52": "TN", "66": "TN", "68": "TN",
        # Đông Nam Bộ
        "75": "DNB", "79": "DNB", "80": "DNB",
        # Đồng bằng sông Cửu Long
        "82": "DBSCL", "86": "DBSCL", "91": "DBSCL", "92": "DBSCL", "96": "DBSCL",
    },
}


class RegistryError(Exception):
    """A unit list that cannot be built (Vietnamese message)."""


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One commune-level unit: "15652", "Xã Thọ Thanh", "Thọ Thanh", "Xã"."""

    code: str
    name: str
    short_name: str
    kind: str

    @classmethod
    def from_name(cls, code: str, name: str, kind: str | None = None) -> Unit:
        """Build a unit from its full name; the short name and (if not given) kind follow."""
        prefix_kind, _ = split_unit_prefix(name)
        return cls(code, name, strip_unit_prefix(name), kind or prefix_kind or "")


@dataclass(frozen=True)
class Registry:
    """The units one office consolidates, with their parent."""

    level: str  # "huyen" | "tinh"
    code: str
    name: str
    province_code: str
    province_name: str
    units: tuple[Unit, ...]  # sorted by code (enforced)
    layout: str | None = None  # "legacy" | "2025"; None means the level's usual one

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise RegistryError(
                f"Cấp tổng hợp '{self.level}' không hợp lệ: dùng 'huyen' hoặc 'tinh'."
            )
        layout = self.layout or (LAYOUT_LEGACY if self.level == LEVEL_DISTRICT else LAYOUT_2025)
        check_layout(layout)
        object.__setattr__(self, "layout", layout)
        object.__setattr__(self, "units", tuple(sorted(self.units, key=lambda u: u.code)))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(unit.code for unit in self.units)

    def unit(self, code: str | int) -> Unit | None:
        """The unit with this code ("15652", 15652 or "015652"), or None."""
        try:
            key = normalize_code(code, UNIT_CODE_WIDTH, "đơn vị")
        except RegistryError:
            return None
        return self._by_code.get(key)

    def match_name(self, text: str) -> Unit | None:
        """The unit a name designates, ignoring case, diacritics, spaces and the type word.

        "tho thanh", "Xã Thọ Thanh", "THỌ THANH", "XaThoThanh" all give Thọ Thanh.
        A type word that is given must agree ("Phường Thọ Thanh" matches nothing).
        None when no unit or more than one unit fits.
        """
        candidates = self._by_full_key.get(_compact(text), [])
        if len(candidates) != 1:
            kind, core = split_unit_prefix(text)
            candidates = self._by_core_key.get(_compact(core), [])
            if kind is not None:
                candidates = [u for u in candidates if fold(u.kind) == fold(kind)]
        return candidates[0] if len(candidates) == 1 else None

    # The lookups below are built once per registry, on first use.

    @cached_property
    def _by_code(self) -> dict[str, Unit]:
        return {unit.code: unit for unit in self.units}

    @cached_property
    def _by_full_key(self) -> dict[str, list[Unit]]:
        return _group(self.units, lambda unit: _compact(unit.name))

    @cached_property
    def _by_core_key(self) -> dict[str, list[Unit]]:
        return _group(self.units, lambda unit: _compact(split_unit_prefix(unit.name)[1]))


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def registry_for_district(code: str | int) -> Registry:
    """The units of one district, from the list before 01/7/2025."""
    key = normalize_code(code, DISTRICT_CODE_WIDTH, "huyện", hint=_FIND_DISTRICT_HINT)
    rows = [row for row in _rows(LAYOUT_LEGACY) if row["districtCode"] == key]
    if not rows:
        raise RegistryError(
            f"Không tìm thấy huyện có mã '{code}' trong danh mục đơn vị hành chính "
            f"({LAYOUT_LABELS[LAYOUT_LEGACY]}). {_FIND_DISTRICT_HINT}"
        )
    first = rows[0]
    units = _units_of(rows)
    if not units:
        raise RegistryError(
            f"{first['district']} (mã {key}, {first['province']}) không có đơn vị cấp xã "
            f"trong danh mục đơn vị hành chính ({LAYOUT_LABELS[LAYOUT_LEGACY]}), "
            "nên không có gì để tổng hợp."
        )
    return Registry(
        level=LEVEL_DISTRICT,
        code=key,
        name=first["district"],
        province_code=first["provinceCode"],
        province_name=first["province"],
        units=units,
        layout=LAYOUT_LEGACY,
    )


def registry_for_province(code: str | int, *, layout: str = LAYOUT_2025) -> Registry:
    """The units of one province: after the 2025 reform ("2025") or before it ("legacy")."""
    check_layout(layout)
    key = normalize_code(code, PROVINCE_CODE_WIDTH, "tỉnh", hint=_province_hint(layout))
    rows = [row for row in _rows(layout) if row["provinceCode"] == key]
    if not rows:
        raise RegistryError(
            f"Không tìm thấy tỉnh có mã '{code}' trong danh mục đơn vị hành chính "
            f"({LAYOUT_LABELS[layout]}). {_province_hint(layout)}"
        )
    return Registry(
        level=LEVEL_PROVINCE,
        code=key,
        name=rows[0]["province"],
        province_code=key,
        province_name=rows[0]["province"],
        units=_units_of(rows),
        layout=layout,
    )


def find_district(name: str) -> list[tuple[str, str, str]]:
    """Districts (before 01/7/2025) whose name contains `name`: (code, district, province).

    Case, diacritics and the type word are ignored; "Thường Xuân, Thanh Hóa" also
    filters by province. Exact name matches come first, then by code.
    """
    district_part, _, province_part = name.partition(",")
    kind, core = split_unit_prefix(district_part)
    wanted = _compact(core)
    wanted_province = _compact(strip_unit_prefix(province_part))
    if not wanted:
        return []
    found = []
    for code, district, province in _districts():
        dist_kind, dist_core = split_unit_prefix(district)
        if wanted not in _compact(dist_core) or wanted_province not in _compact(province):
            continue
        if kind is not None and kind != dist_kind:
            continue
        exact = _compact(dist_core) == wanted
        found.append((not exact, code, (code, district, province)))
    return [item for *_, item in sorted(found)]


def provinces(layout: str = LAYOUT_2025) -> list[tuple[str, str]]:
    """All provinces of a layout as (code, name), by code."""
    check_layout(layout)
    pairs = {(row["provinceCode"], row["province"]) for row in _rows(layout)}
    return sorted(pairs)


def unknown_code_message(level: str, code: str, layout: str) -> str | None:
    """None when ``code`` names a district (before 01/7/2025) or a province of ``layout`` in the
    official list; else the Vietnamese sentence saying it does not and how to find the right one."""
    if level == LEVEL_DISTRICT:
        if any(c == code for c, _d, _p in _districts()):
            return None
        return (f"không có huyện mã '{code}' trong danh mục đơn vị hành chính "
                f"({LAYOUT_LABELS[LAYOUT_LEGACY]}). {_FIND_DISTRICT_HINT}")
    if any(c == code for c, _n in provinces(layout)):
        return None
    return (f"không có tỉnh mã '{code}' trong danh mục đơn vị hành chính ({LAYOUT_LABELS[layout]}). "
            f"{_province_hint(layout)}")


def default_region(province_code: str, layout: str = LAYOUT_2025) -> str:
    """The QĐ 318 region code usually applied in a province ("38" -> "BTB")."""
    check_layout(layout)
    key = normalize_code(province_code, PROVINCE_CODE_WIDTH, "tỉnh")
    try:
        return REGION_OF_PROVINCE[layout][key]
    except KeyError:
        raise RegistryError(
            f"Chưa có vùng mặc định cho tỉnh có mã '{province_code}' "
            f"({LAYOUT_LABELS[layout]}). Hãy ghi vùng trong tệp cài đặt."
        ) from None


def check_layout(layout: str) -> None:
    """Raise RegistryError unless `layout` is "2025" or "legacy"."""
    if layout not in LAYOUTS:
        raise RegistryError(
            f"Danh mục '{layout}' không hợp lệ: dùng '{LAYOUT_2025}' (danh mục "
            f"{LAYOUT_LABELS[LAYOUT_2025]}, xã báo cáo thẳng lên tỉnh) hoặc "
            f"'{LAYOUT_LEGACY}' (danh mục {LAYOUT_LABELS[LAYOUT_LEGACY]}, có cấp huyện)."
        )


def normalize_code(value: str | int, width: int, what: str, *, hint: str = "") -> str:
    """Zero-padded code string: normalize_code("0396", 3, "huyện") -> "396".

    Accepts an int or a string of digits (spaces around allowed); leading zeros
    are dropped and put back to `width`. `what` names the kind of code in the
    Vietnamese error message ("huyện", "tỉnh", "đơn vị").
    """
    text = str(value).strip()
    if isinstance(value, bool) or not text.isascii() or not text.isdigit():
        raise RegistryError(_bad_code_message(value, width, what, hint))
    number = int(text)
    if number == 0 or number >= 10**width:
        raise RegistryError(_bad_code_message(value, width, what, hint))
    return str(number).zfill(width)


# ---------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------

_COLUMNS = {
    LAYOUT_LEGACY: ["province", "provinceCode", "district", "districtCode", "ward", "wardCode", "wardType"],
    LAYOUT_2025: ["province", "provinceCode", "ward", "wardCode", "wardType"],
}


@functools.cache
def _rows(layout: str) -> tuple[dict[str, Any], ...]:
    # Read once per process: the package opens its SQLite file on every call. Imported here: the
    # package loads its address parsers on import (~0.4 s), and a run whose settings already list
    # the units never needs it.
    from vietnamadminunits.database import get_data

    return tuple(get_data(fields=_COLUMNS[layout], table=_TABLE_OF_LAYOUT[layout]))


@functools.cache
def _districts() -> tuple[tuple[str, str, str], ...]:
    pairs = {
        (row["districtCode"], row["district"], row["province"]) for row in _rows(LAYOUT_LEGACY)
    }
    return tuple(sorted(pairs))


def _units_of(rows: list[dict[str, Any]]) -> tuple[Unit, ...]:
    # Island districts (Bạch Long Vĩ, Cồn Cỏ, ...) have a row without any ward.
    # The type comes from the name where it has one: the data types a few
    # "Thị trấn ..." and "Phường ..." as "Xã".
    return tuple(
        Unit.from_name(row["wardCode"], row["ward"], split_unit_prefix(row["ward"])[0] or row["wardType"])
        for row in sorted(rows, key=lambda row: row["wardCode"] or "")
        if row["wardCode"]
    )


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _group(units: tuple[Unit, ...], key: Any) -> dict[str, list[Unit]]:
    groups: dict[str, list[Unit]] = {}
    for unit in units:
        groups.setdefault(key(unit), []).append(unit)
    return groups


def _province_hint(layout: str) -> str:
    listed = ", ".join(f"{code} {strip_unit_prefix(name)}" for code, name in provinces(layout))
    return f"Các mã tỉnh có trong danh mục: {listed}."


def _bad_code_message(value: Any, width: int, what: str, hint: str) -> str:
    example = {2: "38", 3: "396", 5: "15652"}.get(width, "1".zfill(width))
    message = (
        f"Mã {what} '{value}' không hợp lệ: mã {what} là số gồm tối đa {width} chữ số "
        f"(ví dụ {example})."
    )
    return f"{message} {hint}" if hint else message
