"""The district settings file (TOML): period, deadline, the consolidating office and its units.

The clerk reads and edits this file, so every key is Vietnamese and the file written by
`write_settings` explains each field in comments. `load_settings` reports every problem
it finds at once, each with the file, the key and (where it can tell) the line.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from pipeline.config.paths import SETTINGS_PATH
from pipeline.config.period import Period, PeriodError
from pipeline.config.regions import REGIONS
from pipeline.config.registry import (
    DISTRICT_CODE_WIDTH,
    LAYOUT_2025,
    LAYOUT_LABELS,
    LAYOUT_LEGACY,
    LAYOUTS,
    LEVEL_DISTRICT,
    LEVEL_PROVINCE,
    LEVELS,
    PROVINCE_CODE_WIDTH,
    UNIT_KINDS,
    Registry,
    RegistryError,
    Unit,
    default_region,
    normalize_code,
    registry_for_district,
    registry_for_province,
    unknown_code_message,
)
from pipeline.text.fold import fold, strip_diacritics
from pipeline.text.names import split_unit_prefix

DEFAULT_SETTINGS_PATH = SETTINGS_PATH

DEFAULT_SIGNER_TITLE = "TRƯỞNG PHÒNG"
#: Default archive file, beside output/ and never under it (outputs are regenerable, this is not).
DEFAULT_ARCHIVE = "luu_tru/ntm.sqlite"
_DEFAULT_OFFICE = {
    (LEVEL_DISTRICT, LAYOUT_LEGACY): "PHÒNG NÔNG NGHIỆP VÀ PTNT",
    (LEVEL_PROVINCE, LAYOUT_LEGACY): "SỞ NÔNG NGHIỆP VÀ PTNT",
    (LEVEL_PROVINCE, LAYOUT_2025): "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
}
_DEFAULT_SIGNER_TITLE = {LEVEL_DISTRICT: DEFAULT_SIGNER_TITLE, LEVEL_PROVINCE: "GIÁM ĐỐC"}

# Sections and the keys each may hold ("don_vi" is the array of unit tables).
SECTION_KEYS: dict[str, tuple[str, ...]] = {
    "ky_bao_cao": ("ky", "han_nop"),
    "don_vi_tong_hop": ("cap", "danh_muc", "ma", "ten", "ma_tinh", "ten_tinh", "vung"),
    "co_quan": ("co_quan_chu_quan", "ten", "chuc_danh_nguoi_ky", "nguoi_ky", "nguoi_lap"),
    "don_vi": ("ma", "ten", "loai"),
    "luu_tru": ("tep",),
}
_UNIT_CODE = re.compile(r"[0-9]{5}")
_DMY_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


class SettingsError(Exception):
    """A settings file that cannot be used; the message is Vietnamese.

    `problems` lists each problem on its own ("[ky_bao_cao], khóa 'ky' (dòng 15): ...").
    """

    def __init__(self, message: str, *, path: Path | None = None, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.path = path
        self.problems = problems or (message,)


@dataclass(frozen=True)
class Settings:
    """What a run needs to know about the office, its units and the period."""

    period: Period
    deadline: date | None
    registry: Registry
    office: str  # "PHÒNG NÔNG NGHIỆP VÀ PTNT": header of the district tables
    authority: str  # "UBND HUYỆN THƯỜNG XUÂN": the line above it
    region: str  # default QĐ 318 region code, e.g. "BTB"
    signer_title: str = DEFAULT_SIGNER_TITLE
    signer_name: str = ""
    preparer: str = ""
    #: The history archive (SQLite), as written in [luu_tru] tep: relative to the tool's folder.
    archive: str = DEFAULT_ARCHIVE


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def load_settings(path: Path | None = None) -> Settings:
    """Read and check a settings file (default: templates/cai_dat.toml)."""
    path = Path(path) if path is not None else DEFAULT_SETTINGS_PATH
    text = _read_text(path)
    data = _parse_toml(text, path)
    problems = _Problems(path, _KeyLines(text))
    settings = _settings_from_data(data, problems)
    problems.raise_if_any()
    assert settings is not None  # no problems means every part was read
    return settings


def write_settings(settings: Settings, path: Path) -> None:
    """Write the settings as commented TOML, atomically (temporary file, then replace)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    content = settings_to_toml(settings)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates the file for the owner only; keep the mode the file had.
        os.chmod(temp_name, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def make_settings(
    *,
    district: str | None = None,
    province: str | None = None,
    layout: str = LAYOUT_2025,
    period: str,
    deadline: str | None = None,
) -> Settings:
    """Settings for a district (always the pre-2025 list) or a province (`layout`).

    Raises SettingsError for a bad choice or deadline, RegistryError for an
    unknown code and PeriodError for a bad period; all carry Vietnamese messages.
    """
    if (district is None) == (province is None):
        raise SettingsError("Cần ghi đúng một trong hai: mã huyện hoặc mã tỉnh cần tổng hợp.")
    if district is not None:
        registry = registry_for_district(district)
    else:
        assert province is not None
        registry = registry_for_province(province, layout=layout)
    try:
        due = parse_date(deadline)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    return Settings(
        period=Period.parse(period),
        deadline=due,
        registry=registry,
        office=default_office(registry),
        authority=default_authority(registry),
        region=default_region(registry.province_code, registry.layout or LAYOUT_2025),
        signer_title=_DEFAULT_SIGNER_TITLE[registry.level],
    )


def default_office(registry: Registry) -> str:
    """The office that consolidates: "PHÒNG NÔNG NGHIỆP VÀ PTNT" for a district."""
    return _DEFAULT_OFFICE.get((registry.level, registry.layout or ""),
                               _DEFAULT_OFFICE[(LEVEL_DISTRICT, LAYOUT_LEGACY)])


def default_authority(registry: Registry) -> str:
    """The People's Committee above the office: "UBND HUYỆN THƯỜNG XUÂN"."""
    return _nfc(f"UBND {registry.name.upper()}")


def parse_date(value: Any) -> date | None:
    """A deadline from TOML or the command line: a date, "2024-06-15", "15/06/2024" or ""/None.

    Raises ValueError with a Vietnamese message otherwise.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        match = _DMY_DATE.fullmatch(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"Ngày '{value}' không hợp lệ: ghi dạng \"2024-06-15\" (năm-tháng-ngày) "
            "hoặc \"15/06/2024\" (ngày/tháng/năm)."
        ) from None


def settings_to_toml(settings: Settings) -> str:
    """The settings file's text: TOML with Vietnamese comments on every field."""
    registry = settings.registry
    parts = [
        _header_block(registry),
        _period_block(settings),
        _office_unit_block(settings),
        _agency_block(settings),
        _archive_block(settings),
        _units_block(registry),
    ]
    return "\n".join(parts)


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _header_block(registry: Registry) -> str:
    place = registry.name if registry.level == LEVEL_PROVINCE else f"{registry.name}, {registry.province_name}"
    return _lines(
        "# =====================================================================",
        "# CÀI ĐẶT TỔNG HỢP BÁO CÁO XÂY DỰNG NÔNG THÔN MỚI",
        f"# {place}",
        "# =====================================================================",
        "# Cách sửa tệp này:",
        "# - Mở bằng Notepad (hoặc trình soạn thảo văn bản bất kỳ), chỉ sửa giá trị",
        "#   bên phải dấu \"=\", giữ nguyên tên khóa bên trái và cặp ngoặc kép \"...\".",
        "# - Lưu lại với mã hóa UTF-8 (Notepad: Lưu thành > Mã hóa: UTF-8).",
        "# - Dòng bắt đầu bằng dấu # là ghi chú, chương trình bỏ qua.",
        "# - Mỗi lần chạy, chương trình kiểm tra tệp này và báo rõ khóa, dòng cần sửa.",
    )


def _period_block(settings: Settings) -> str:
    deadline = settings.deadline.isoformat() if settings.deadline else ""
    return _lines(
        "[ky_bao_cao]",
        "# Kỳ báo cáo: \"2024-H1\" = 6 tháng đầu năm 2024; \"2024-H2\" = 6 tháng cuối năm 2024;",
        "# \"2024-Y\" = cả năm 2024. Chỉ báo cáo của đúng kỳ này được tổng hợp.",
        f"ky = {_toml_string(str(settings.period))}",
        "# Hạn nộp báo cáo của các xã, dạng \"năm-tháng-ngày\" (ví dụ \"2024-06-15\");",
        "# để trống (\"\") nếu không đặt hạn.",
        f"han_nop = {_toml_string(deadline)}",
    )


def _office_unit_block(settings: Settings) -> str:
    registry = settings.registry
    return _lines(
        "[don_vi_tong_hop]",
        "# Cấp tổng hợp: \"huyen\" = huyện tổng hợp báo cáo các xã của huyện;",
        "# \"tinh\" = tỉnh tổng hợp báo cáo các xã của tỉnh (từ 01/7/2025 xã báo cáo thẳng lên tỉnh).",
        f"cap = {_toml_string(registry.level)}",
        "# Danh mục đơn vị hành chính dùng để lập danh sách xã:",
        f"# \"{LAYOUT_LEGACY}\" = danh mục {LAYOUT_LABELS[LAYOUT_LEGACY]} (63 tỉnh, có cấp huyện);",
        f"# \"{LAYOUT_2025}\" = danh mục {LAYOUT_LABELS[LAYOUT_2025]} (34 tỉnh, không còn cấp huyện).",
        "# Cấp huyện chỉ dùng được danh mục \"legacy\".",
        f"danh_muc = {_toml_string(registry.layout or '')}",
        "# Mã và tên đơn vị tổng hợp theo danh mục đơn vị hành chính",
        "# (mã huyện gồm 3 chữ số, mã tỉnh gồm 2 chữ số).",
        f"ma = {_toml_string(registry.code)}",
        f"ten = {_toml_string(registry.name)}",
        f"ma_tinh = {_toml_string(registry.province_code)}",
        f"ten_tinh = {_toml_string(registry.province_name)}",
        "# Vùng áp dụng mức chuẩn của Bộ tiêu chí quốc gia về xã nông thôn mới (QĐ 318/QĐ-TTg):",
        *(f"#   {code} = {name}" for code, name in REGIONS.items()),
        "# Đây là vùng mặc định; mỗi xã vẫn ghi vùng của mình trong biểu Thông tin chung.",
        f"vung = {_toml_string(settings.region)}",
    )


def _agency_block(settings: Settings) -> str:
    return _lines(
        "[co_quan]",
        "# Góc trái đầu các biểu tổng hợp: cơ quan chủ quản (dòng trên)",
        "# và cơ quan lập biểu (dòng dưới, in đậm).",
        f"co_quan_chu_quan = {_toml_string(settings.authority)}",
        f"ten = {_toml_string(settings.office)}",
        "# Khối chữ ký cuối biểu: chức danh và họ tên người ký, họ tên người lập biểu",
        "# (để trống \"\" nếu muốn ghi tay sau khi in).",
        f"chuc_danh_nguoi_ky = {_toml_string(settings.signer_title)}",
        f"nguoi_ky = {_toml_string(settings.signer_name)}",
        f"nguoi_lap = {_toml_string(settings.preparer)}",
    )


def _archive_block(settings: Settings) -> str:
    return _lines(
        "[luu_tru]",
        "# Kho lưu trữ số liệu các kỳ (một tệp SQLite): mỗi lần tổng hợp ghi thêm vào đây.",
        "# Đường dẫn tương đối tính từ thư mục của công cụ (nơi có thư mục output/).",
        "# Sao lưu: chép tệp này sang nơi khác. Không đặt trong output/.",
        f"tep = {_toml_string(settings.archive)}",
    )


def _units_block(registry: Registry) -> str:
    head = _lines(
        "# ---------------------------------------------------------------------",
        f"# DANH SÁCH ĐƠN VỊ CẤP XÃ PHẢI BÁO CÁO ({len(registry.units)} đơn vị)",
        "# Lập từ danh mục đơn vị hành chính. Mỗi đơn vị là một khối [[don_vi]]:",
        "#   ma   = mã đơn vị hành chính, đúng 5 chữ số, không trùng nhau (ví dụ \"15652\");",
        "#   ten  = tên đầy đủ (ví dụ \"Xã Thọ Thanh\");",
        f"#   loai = {_kinds_hint()}.",
        "# Xóa khối của đơn vị không phải báo cáo (đơn vị đó sẽ không bị tính là chưa nộp);",
        "# thêm khối mới cho đơn vị còn thiếu.",
        "# ---------------------------------------------------------------------",
    )
    blocks = [
        _lines(
            "[[don_vi]]",
            f"ma = {_toml_string(unit.code)}",
            f"ten = {_toml_string(unit.name)}",
            f"loai = {_toml_string(unit.kind)}",
        )
        for unit in registry.units
    ]
    return "\n".join([head, *blocks])


def _lines(*lines: str) -> str:
    return "".join(f"{line}\n" for line in lines)


def _toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = []
    for char in _nfc(value):
        if char in ('"', "\\"):
            escaped.append("\\" + char)
        elif char in "\b\t\n\f\r":
            escaped.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------

# What tomllib reports (its messages are English) -> what the clerk should look for.
_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("Unterminated string", "thiếu dấu ngoặc kép đóng chuỗi"),
    ("Expected '=' after a key", "thiếu dấu \"=\" giữa tên khóa và giá trị"),
    ("Invalid value", "giá trị không hợp lệ (chữ phải đặt trong ngoặc kép, ví dụ \"2024-H1\")"),
    ("Cannot overwrite a value", "một khóa được ghi hai lần trong cùng một mục"),
    ("Cannot declare", "một mục [...] được khai báo hai lần"),
    ("Expected ']", "thiếu dấu ngoặc vuông đóng ở tên mục"),
    ("Expected newline or end of document", "thừa ký tự sau giá trị (giá trị có đặt trong ngoặc kép chưa?)"),
    ("Unescaped '\\'", "dấu \\ trong chuỗi phải viết thành \\\\ (hoặc dùng dấu /)"),
    ("Illegal character '\\n'", "thiếu dấu ngoặc kép đóng chuỗi"),
    ("Illegal character", "có ký tự điều khiển không được phép"),
    ("Invalid date", "ngày không hợp lệ"),
)
_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SettingsError(
            f"Không tìm thấy tệp cài đặt '{path}'. Hãy kiểm tra đường dẫn, "
            "hoặc sao chép tệp mẫu templates/cai_dat.toml rồi sửa lại.",
            path=path,
        ) from None
    except OSError as exc:
        raise SettingsError(
            f"Không đọc được tệp cài đặt '{path}' ({exc.strerror or 'lỗi hệ thống'}).", path=path
        ) from None
    try:
        # utf-8-sig: Notepad may put a byte-order mark in front.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SettingsError(
            f"Tệp cài đặt '{path}' không phải mã hóa UTF-8 (dòng {line}). "
            "Hãy mở tệp và lưu lại với mã hóa UTF-8.",
            path=path,
        ) from None


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        hint = next((vi for en, vi in _SYNTAX_HINTS if detail.startswith(en)), "sai cú pháp TOML")
        position = _POSITION.search(detail)
        where = f"dòng {position.group(1)}, cột {position.group(2)}" if position else "cuối tệp"
        message = f"Tệp cài đặt '{path}' sai cú pháp ở {where}: {hint}."
        raise SettingsError(message, path=path) from exc


class _KeyLines:
    """Best-effort line numbers of keys, for messages (no line when it cannot tell)."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_-]+)\s*\]\]?")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple[str, int | None, str | None], int] = {}
        section, index = "", cast(int | None, None)
        counts: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            header = self._HEADER.match(line)
            if header:
                section = header.group(2)
                index = counts[section] = counts.get(section, -1) + 1
                index = index if header.group(1) == "[[" else None
                self._lines.setdefault((section, index, None), number)
                continue
            key = self._KEY.match(line)
            if key:
                self._lines.setdefault((section, index, key.group(1)), number)

    def find(self, section: str, index: int | None, key: str | None) -> int | None:
        return self._lines.get((section, index, key)) or self._lines.get((section, index, None))


@dataclass
class _Problems:
    """Collects every problem of a file, so the clerk sees them all at once."""

    path: Path
    lines: _KeyLines
    items: list[str] = field(default_factory=list)

    def add(self, section: str, key: str | None, message: str, *, index: int | None = None) -> None:
        place = f"[[{section}]] thứ {index + 1}" if index is not None else f"[{section}]"
        if key:
            place += f", khóa '{key}'"
        line = self.lines.find(section, index, key)
        if line:
            place += f" (dòng {line})"
        self.items.append(f"{place}: {message}")

    def raise_if_any(self) -> None:
        if not self.items:
            return
        listed = "\n".join(f"- {item}" for item in self.items)
        raise SettingsError(
            f"Tệp cài đặt '{self.path}' có {len(self.items)} lỗi cần sửa:\n{listed}",
            path=self.path,
            problems=tuple(self.items),
        )


def _settings_from_data(data: dict[str, Any], problems: _Problems) -> Settings | None:
    _check_sections(data, problems)
    period, deadline = _read_period(_section(data, "ky_bao_cao", problems), problems)
    head_table = _section(data, "don_vi_tong_hop", problems)
    head = _read_head(head_table, problems)
    region = _read_region(head_table, problems)
    units = _read_units(data.get("don_vi"), problems)
    agency = _read_agency(_section(data, "co_quan", problems, required=False), problems)
    archive = _read_archive(_section(data, "luu_tru", problems, required=False), problems)
    if problems.items or period is None or head is None or units is None:
        return None
    registry = Registry(units=units, **head)
    if region is None:
        region = _default_region(registry, problems)
    defaults = {
        "co_quan_chu_quan": default_authority(registry),
        "ten": default_office(registry),
        "chuc_danh_nguoi_ky": _DEFAULT_SIGNER_TITLE[registry.level],
    }
    filled = {key: defaults.get(key, "") if value is None else value for key, value in agency.items()}
    return Settings(
        period=period,
        deadline=deadline,
        registry=registry,
        office=filled["ten"],
        authority=filled["co_quan_chu_quan"],
        region=region,
        signer_title=filled["chuc_danh_nguoi_ky"],
        signer_name=filled["nguoi_ky"],
        preparer=filled["nguoi_lap"],
        archive=archive,
    )


def _check_sections(data: dict[str, Any], problems: _Problems) -> None:
    for name in data:
        if name not in SECTION_KEYS:
            known = ", ".join(f"[{section}]" for section in SECTION_KEYS)
            problems.add(name, None, f"không được hỗ trợ ở đây (các mục hợp lệ: {known}).")


def _section(
    data: dict[str, Any], name: str, problems: _Problems, *, required: bool = True
) -> dict[str, Any] | None:
    value = data.get(name)
    if value is None:
        if required:
            problems.add(name, None, "thiếu mục này.")
        return None
    if not isinstance(value, dict):
        problems.add(name, None, f"[{name}] phải là một mục (dòng [{name}]) chứa các khóa.")
        return None
    _check_keys(value, name, problems)
    return value


def _check_keys(table: dict[str, Any], section: str, problems: _Problems, index: int | None = None) -> None:
    for key in table:
        if key not in SECTION_KEYS[section]:
            known = ", ".join(SECTION_KEYS[section])
            problems.add(section, key, f"khóa không được hỗ trợ (các khóa hợp lệ: {known}).", index=index)


def _text(
    table: dict[str, Any] | None,
    section: str,
    key: str,
    problems: _Problems,
    *,
    index: int | None = None,
    required: bool = True,
) -> str | None:
    """A string value, NFC and stripped; None (with a problem if required) when missing or wrong."""
    if table is None:
        return None
    value = table.get(key)
    if value is None:
        if required:
            problems.add(section, key, "thiếu khóa này.", index=index)
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        problems.add(section, key, "giá trị phải là chữ đặt trong ngoặc kép.", index=index)
        return None
    text = _nfc(str(value)).strip()
    if required and not text:
        problems.add(section, key, "giá trị không được để trống.", index=index)
        return None
    return text


def _read_period(table: dict[str, Any] | None, problems: _Problems) -> tuple[Period | None, date | None]:
    period = None
    text = _text(table, "ky_bao_cao", "ky", problems)
    if text is not None:
        try:
            period = Period.parse(text)
        except PeriodError as exc:
            problems.add("ky_bao_cao", "ky", str(exc))
    deadline = None
    if table is not None:
        try:
            deadline = parse_date(table.get("han_nop"))
        except ValueError as exc:
            problems.add("ky_bao_cao", "han_nop", str(exc))
    return period, deadline


def _read_head(table: dict[str, Any] | None, problems: _Problems) -> dict[str, Any] | None:
    """The [don_vi_tong_hop] fields that make the Registry (except its units)."""
    section = "don_vi_tong_hop"
    values = {key: _text(table, section, key, problems) for key in ("cap", "ma", "ten", "ma_tinh", "ten_tinh")}
    level = values["cap"]
    if level is not None and level not in LEVELS:
        problems.add(section, "cap", f"'{level}' không hợp lệ: dùng \"huyen\" hoặc \"tinh\".")
        level = None
    layout = _read_layout(table, level, problems)
    if level is not None and values["ma"] is not None:
        width = DISTRICT_CODE_WIDTH if level == LEVEL_DISTRICT else PROVINCE_CODE_WIDTH
        values["ma"] = _code(values["ma"], width, "huyện" if level == LEVEL_DISTRICT else "tỉnh", "ma", problems)
    if values["ma_tinh"] is not None:
        values["ma_tinh"] = _code(values["ma_tinh"], PROVINCE_CODE_WIDTH, "tỉnh", "ma_tinh", problems)
    if level is not None and layout is not None and values["ma"] is not None:
        unknown = unknown_code_message(level, values["ma"], layout)
        if unknown:
            problems.add(section, "ma", unknown)
            values["ma"] = None
    if level == LEVEL_PROVINCE and None not in (values["ma"], values["ma_tinh"]) and values["ma"] != values["ma_tinh"]:
        problems.add(section, "ma_tinh", f"cấp tỉnh thì 'ma_tinh' phải bằng 'ma' ({values['ma']}).")
    if level is None or layout is None or None in values.values():
        return None
    return {
        "level": level,
        "code": values["ma"],
        "name": values["ten"],
        "province_code": values["ma_tinh"],
        "province_name": values["ten_tinh"],
        "layout": layout,
    }


def _read_layout(table: dict[str, Any] | None, level: str | None, problems: _Problems) -> str | None:
    section = "don_vi_tong_hop"
    layout = _text(table, section, "danh_muc", problems, required=False)
    if not layout:
        return LAYOUT_LEGACY if level == LEVEL_DISTRICT else LAYOUT_2025
    if layout not in LAYOUTS:
        problems.add(section, "danh_muc", f"'{layout}' không hợp lệ: dùng \"{LAYOUT_2025}\" hoặc \"{LAYOUT_LEGACY}\".")
        return None
    if level == LEVEL_DISTRICT and layout != LAYOUT_LEGACY:
        problems.add(
            section, "danh_muc",
            f"cấp huyện chỉ có trong danh mục \"{LAYOUT_LEGACY}\" ({LAYOUT_LABELS[LAYOUT_LEGACY]})."
        )
        return None
    return layout


def _code(text: str, width: int, what: str, key: str, problems: _Problems) -> str | None:
    try:
        return normalize_code(text, width, what)
    except RegistryError as exc:
        problems.add("don_vi_tong_hop", key, str(exc))
        return None


def _read_region(table: dict[str, Any] | None, problems: _Problems) -> str | None:
    """The region code as written ("ĐBSH" is read as "DBSH"); None when not given."""
    text = _text(table, "don_vi_tong_hop", "vung", problems, required=False)
    if not text:
        return None
    code = strip_diacritics(text).upper()
    if code not in REGIONS:
        listed = ", ".join(REGIONS)
        problems.add("don_vi_tong_hop", "vung", f"vùng '{text}' không hợp lệ: dùng một trong {listed}.")
    return code


def _default_region(registry: Registry, problems: _Problems) -> str:
    try:
        return default_region(registry.province_code, registry.layout or LAYOUT_2025)
    except RegistryError as exc:
        problems.add("don_vi_tong_hop", "vung", str(exc))
        return ""


def _read_agency(table: dict[str, Any] | None, problems: _Problems) -> dict[str, str | None]:
    """The [co_quan] values by key; None where a key is missing (a default applies)."""
    return {key: _text(table or {}, "co_quan", key, problems, required=False) for key in SECTION_KEYS["co_quan"]}


def _read_archive(table: dict[str, Any] | None, problems: _Problems) -> str:
    """[luu_tru] tep: the archive file; the default when missing or empty."""
    text = _text(table or {}, "luu_tru", "tep", problems, required=False)
    if text and Path(text).parts[:1] == ("output",):
        problems.add("luu_tru", "tep", "kho lưu trữ không được đặt trong thư mục output/ "
                     "(thư mục này được ghi lại mỗi lần chạy); dùng ví dụ \"luu_tru/ntm.sqlite\".")
    return text or DEFAULT_ARCHIVE


def _read_units(value: Any, problems: _Problems) -> tuple[Unit, ...] | None:
    if not isinstance(value, list) or not value:
        problems.add("don_vi", None, "thiếu danh sách đơn vị cấp xã (các khối [[don_vi]] có ma, ten, loai).")
        return None
    units: list[Unit] = []
    first_index: dict[str, int] = {}
    for index, entry in enumerate(value):
        unit = _read_unit(entry, index, problems)
        if unit is None:
            continue
        if unit.code in first_index:
            earlier = first_index[unit.code]
            line = problems.lines.find("don_vi", earlier, "ma")
            at = f" (dòng {line})" if line else ""
            problems.add(
                "don_vi", "ma", f"mã đơn vị '{unit.code}' bị trùng với đơn vị thứ {earlier + 1}{at}.", index=index
            )
            continue
        first_index[unit.code] = index
        units.append(unit)
    return tuple(units) if len(units) == len(value) else None


def _read_unit(entry: Any, index: int, problems: _Problems) -> Unit | None:
    if not isinstance(entry, dict):
        problems.add("don_vi", None, "mỗi đơn vị phải là một khối [[don_vi]].", index=index)
        return None
    _check_keys(entry, "don_vi", problems, index)
    code = _unit_code(entry, index, problems)
    name = _text(entry, "don_vi", "ten", problems, index=index)
    kind = _unit_kind(entry, name, index, problems)
    if code is None or name is None or kind is None:
        return None
    return Unit.from_name(code, name, kind)


def _unit_code(entry: dict[str, Any], index: int, problems: _Problems) -> str | None:
    value = entry.get("ma")
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 100_000:
        return str(value).zfill(5)  # TOML cannot write a leading zero in a number
    text = _text(entry, "don_vi", "ma", problems, index=index)
    if text is None:
        return None
    if not _UNIT_CODE.fullmatch(text):
        problems.add("don_vi", "ma", f"mã đơn vị '{text}' phải gồm đúng 5 chữ số (ví dụ \"15652\").", index=index)
        return None
    return text


def _unit_kind(entry: dict[str, Any], name: str | None, index: int, problems: _Problems) -> str | None:
    text = _text(entry, "don_vi", "loai", problems, index=index, required=False)
    if not text:
        inferred = split_unit_prefix(name)[0] if name else None
        if inferred in UNIT_KINDS:
            return inferred
        if name is not None:
            problems.add("don_vi", "loai", f"không rõ loại đơn vị: ghi loai = {_kinds_hint()}.", index=index)
        return None
    for kind in UNIT_KINDS:
        if fold(kind) == fold(text):
            return kind
    problems.add("don_vi", "loai", f"loại '{text}' không hợp lệ: dùng {_kinds_hint()}.", index=index)
    return None


def _kinds_hint() -> str:
    quoted = [f"\"{kind}\"" for kind in UNIT_KINDS]
    return ", ".join(quoted[:-1]) + f" hoặc {quoted[-1]}"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)

