"""The regions (vùng) of QĐ 318/QĐ-TTg whose thresholds a criterion may depend on."""

from __future__ import annotations

from pipeline.text.fold import fold

#: Region code -> Vietnamese name.
REGIONS: dict[str, str] = {
    "TDMNPB": "Trung du và miền núi phía Bắc",
    "DBSH": "Đồng bằng sông Hồng",
    "BTB": "Bắc Trung Bộ",
    "DHNTB": "Duyên hải Nam Trung Bộ",
    "TN": "Tây Nguyên",
    "DNB": "Đông Nam Bộ",
    "DBSCL": "Đồng bằng sông Cửu Long",
}


_REGION_KEYS: dict[str, str] = {
    **{fold(code): code for code in REGIONS},
    **{fold(name): code for code, name in REGIONS.items()},
}


def region_code(value: str) -> str:
    """Region code for a code or a Vietnamese name ("btb", "Bắc Trung Bộ" -> "BTB")."""
    code = _REGION_KEYS.get(fold(value))
    if code is None:
        known = ", ".join(f"{c} ({n})" for c, n in REGIONS.items())
        raise ValueError(f"Vùng '{value}' không hợp lệ; dùng một trong các mã: {known}.")
    return code


def region_name(value: object) -> str | None:
    """The Vietnamese name of a region typed as its code ("BTB" -> "Bắc Trung Bộ"), as older
    templates' dropdown offered it; None for anything else."""
    if not isinstance(value, str):
        return None
    code = _REGION_KEYS.get(fold(value))
    return REGIONS[code] if code is not None else None
