"""Criteria catalogues (PB01/PB02): editable CSV files under ``templates/danh_muc``.

A catalogue lists groups (``nhom``), criteria (``tieu_chi``) and indicators (``chi_tieu``) in
order; a row's parent is the nearest preceding row of the level above. Each indicator may carry
a numeric threshold, a default one and one per region (vùng). The district clerk edits the file
when a new decision amends the criteria, so every problem is reported in Vietnamese with the
file name and line number.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from pipeline.config.regions import REGIONS, region_code

#: Regions (vùng) of QĐ 318/QĐ-TTg: code -> Vietnamese name.

#: Annex code -> catalogue file name in ``catalogue_dir()``.
DEFAULT_CATALOGUES: dict[str, str] = {
    "PB01": "tieu_chi_ntm.csv",
    "PB02": "tieu_chi_ntm_nang_cao.csv",
}

HEADER: tuple[str, ...] = (
    "ma", "loai", "noi_dung", "dvt", "yeu_cau", "so_sanh", "nguong", "nguong_theo_vung",
    "can_doi_chieu", "nguon",
)

#: ``loai`` in the file -> ``CatalogueRow.kind``.
KINDS: dict[str, str] = {"nhom": "group", "tieu_chi": "criterion", "chi_tieu": "indicator"}
_KIND_LABELS: dict[str, str] = {"group": "nhóm", "criterion": "tiêu chí", "indicator": "chỉ tiêu"}

#: Accepted spellings of ``so_sanh`` -> canonical operator.
_COMPARE: dict[str, str] = {
    ">=": ">=", "≥": ">=", "=>": ">=",
    "<=": "<=", "≤": "<=", "=<": "<=",
}

_CODE_PATTERNS: dict[str, re.Pattern[str]] = {
    "group": re.compile(r"[IVXLC]+"),
    "criterion": re.compile(r"[0-9]+"),
    "indicator": re.compile(r"([0-9]+)\.[0-9]+"),
}

# Tolerance for comparisons: a rate typed as 69.99999999 in Excel still meets "≥ 70".
_EPSILON = 1e-9


class CatalogueError(Exception):
    """A catalogue file that cannot be used; the message is Vietnamese and names file and line."""

    def __init__(self, file: str, line: int | None, detail: str) -> None:
        self.file = file
        self.line = line
        self.detail = detail
        where = f"Danh mục {file}" + (f", dòng {line}" if line is not None else "")
        super().__init__(f"{where}: {detail}")


@dataclass(frozen=True)
class CatalogueRow:
    """One line of a catalogue: a group, a criterion or an indicator."""

    code: str
    kind: str  # "group" | "criterion" | "indicator"
    label: str
    unit: str
    requirement: str
    compare: str | None  # ">=" | "<=" | None
    threshold: float | None
    regional: Mapping[str, float] = field(hash=False)
    to_check: bool
    source: str
    parent: str | None  # group code for a criterion, criterion code for an indicator

    def threshold_for(self, region: str | None) -> float | None:
        """The region's threshold if the catalogue gives one, else the default threshold."""
        if region is None or not str(region).strip():
            return self.threshold
        return self.regional.get(region_code(str(region)), self.threshold)

    def meets(self, value: float, region: str | None) -> bool | None:
        """Whether ``value`` meets the threshold for ``region``; None when there is none."""
        limit = self.threshold_for(region)
        if limit is None or self.compare is None:
            return None
        if self.compare == ">=":
            return value >= limit - _EPSILON
        return value <= limit + _EPSILON


@dataclass(frozen=True)
class Catalogue:
    """A whole catalogue file, rows in file order."""

    name: str  # file stem
    rows: tuple[CatalogueRow, ...]
    _index: Mapping[str, CatalogueRow] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", MappingProxyType({r.code: r for r in self.rows}))

    def groups(self) -> list[CatalogueRow]:
        return [r for r in self.rows if r.kind == "group"]

    def criteria(self) -> list[CatalogueRow]:
        return [r for r in self.rows if r.kind == "criterion"]

    def indicators(self) -> list[CatalogueRow]:
        return [r for r in self.rows if r.kind == "indicator"]

    def criteria_of(self, group_code: str) -> list[CatalogueRow]:
        return [r for r in self.rows if r.kind == "criterion" and r.parent == group_code]

    def indicators_of(self, criterion_code: str) -> list[CatalogueRow]:
        if self.row(criterion_code).kind != "criterion":
            raise KeyError(
                f"Mã '{criterion_code}' không phải là tiêu chí trong danh mục {self.name}."
            )
        return [r for r in self.rows if r.kind == "indicator" and r.parent == criterion_code]

    def row(self, code: str) -> CatalogueRow:
        try:
            return self._index[code]
        except KeyError:
            raise KeyError(f"Không có mã '{code}' trong danh mục {self.name}.") from None

    def __contains__(self, code: object) -> bool:
        return code in self._index




# ---------------------------------------------------------------------------------------------
# Loading


def _clean(text: str) -> str:
    """NFC, no BOM or non-breaking spaces, single spaces, stripped."""
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "").replace("\u00a0", " ")
    return " ".join(text.split())


def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cleaned cells) for each CSV record; blank records are skipped."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        start = 1
        for cells in reader:
            cleaned = [_clean(c) for c in cells]
            while cleaned and not cleaned[-1]:
                cleaned.pop()  # Excel may add trailing empty cells
            if cleaned:
                yield start, cleaned
            start = reader.line_num + 1


def _check_header(file: str, cells: list[str]) -> None:
    got = tuple(c.lower() for c in cells)
    if got != HEADER:
        raise CatalogueError(
            file, 1,
            "tiêu đề cột không đúng. Cần đúng các cột: " + ",".join(HEADER)
            + "; đang có: " + ",".join(cells) + ".",
        )


def _parse_number(file: str, line: int, column: str, text: str) -> float:
    """A number with a dot (or, if no dot, a comma) as decimal separator."""
    raw = text.replace(" ", "")
    if "," in raw and "." not in raw and raw.count(",") == 1:
        raw = raw.replace(",", ".")
    try:
        number = float(raw)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise CatalogueError(
            file, line,
            f"cột {column}: '{text}' không phải là số (dùng dấu chấm thập phân, ví dụ 52.8).",
        )
    return number


def _parse_regional(file: str, line: int, text: str) -> dict[str, float]:
    """``BTB=58;TDMNPB=45`` -> {"BTB": 58.0, "TDMNPB": 45.0}."""
    result: dict[str, float] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        code, sep, value = part.partition("=")
        code = code.strip().upper()
        if not sep or not value.strip():
            raise CatalogueError(
                file, line,
                f"cột nguong_theo_vung: '{part}' phải có dạng MÃ_VÙNG=số, ví dụ BTB=58.",
            )
        if code not in REGIONS:
            raise CatalogueError(
                file, line,
                f"cột nguong_theo_vung: mã vùng '{code}' không có; "
                f"dùng một trong: {', '.join(REGIONS)}.",
            )
        if code in result:
            raise CatalogueError(
                file, line, f"cột nguong_theo_vung: vùng '{code}' ghi hai lần."
            )
        result[code] = _parse_number(file, line, "nguong_theo_vung", value.strip())
    return result


def _parse_compare(file: str, line: int, text: str) -> str | None:
    if not text:
        return None
    compare = _COMPARE.get(text)
    if compare is None:
        raise CatalogueError(
            file, line,
            f"cột so_sanh: '{text}' không hợp lệ; chỉ dùng >= hoặc <= (hoặc để trống).",
        )
    return compare


def _parse_flag(file: str, line: int, text: str) -> bool:
    if text.lower() not in ("", "x"):
        raise CatalogueError(
            file, line, f"cột can_doi_chieu: '{text}' không hợp lệ; ghi x hoặc để trống."
        )
    return text.lower() == "x"


def _parse_kind(file: str, line: int, text: str) -> str:
    kind = KINDS.get(text.lower())
    if kind is None:
        raise CatalogueError(
            file, line, f"cột loai: '{text}' không hợp lệ; dùng nhom, tieu_chi hoặc chi_tieu."
        )
    return kind


def _check_code(file: str, line: int, code: str, kind: str) -> None:
    if not code:
        raise CatalogueError(file, line, "cột ma đang trống.")
    if not _CODE_PATTERNS[kind].fullmatch(code):
        examples = {"group": "I, II, III", "criterion": "1, 2, 19", "indicator": "1.1, 2.3, 17.10"}
        raise CatalogueError(
            file, line,
            f"mã '{code}' không đúng dạng mã {_KIND_LABELS[kind]} (ví dụ: {examples[kind]}).",
        )


def _check_threshold_fields(
    file: str, line: int, kind: str, compare: str | None, threshold: float | None,
    regional: Mapping[str, float],
) -> None:
    has_limit = threshold is not None or bool(regional)
    if kind != "indicator" and (compare or has_limit):
        raise CatalogueError(
            file, line,
            f"chỉ dòng chỉ tiêu mới được ghi so_sanh/nguong; dòng này là {_KIND_LABELS[kind]}.",
        )
    if has_limit and compare is None:
        raise CatalogueError(file, line, "có ngưỡng nhưng cột so_sanh trống; ghi >= hoặc <=.")
    if compare is not None and not has_limit:
        raise CatalogueError(
            file, line, "cột so_sanh có giá trị nhưng chưa có nguong hoặc nguong_theo_vung."
        )


@dataclass
class _Builder:
    """Tracks the current group and criterion while reading rows in order."""

    file: str
    rows: list[CatalogueRow] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    group: str | None = None
    criterion: str | None = None
    seen_group: bool = False

    def parent_for(self, line: int, code: str, kind: str) -> str | None:
        if kind == "group":
            if self.rows and not self.seen_group:
                raise CatalogueError(
                    self.file, line,
                    f"nhóm '{code}' phải đứng trước các tiêu chí (hoặc bỏ hết dòng nhóm).",
                )
            return None
        if kind == "criterion":
            return self.group
        if self.criterion is None:
            raise CatalogueError(
                self.file, line,
                f"chỉ tiêu '{code}' không nằm dưới tiêu chí nào; "
                "đặt nó sau dòng tiêu chí của nó.",
            )
        if code.split(".")[0] != self.criterion:
            raise CatalogueError(
                self.file, line,
                f"chỉ tiêu '{code}' đang nằm dưới tiêu chí '{self.criterion}'; "
                f"mã chỉ tiêu phải bắt đầu bằng '{self.criterion}.'.",
            )
        return self.criterion

    def add(self, line: int, row: CatalogueRow) -> None:
        if row.code in self.lines:
            raise CatalogueError(
                self.file, line, f"mã '{row.code}' bị trùng (đã có ở dòng {self.lines[row.code]})."
            )
        if row.kind == "group":
            self.group, self.criterion, self.seen_group = row.code, None, True
        elif row.kind == "criterion":
            self.criterion = row.code
        self.rows.append(row)
        self.lines[row.code] = line


def _parse_row(builder: _Builder, line: int, cells: list[str]) -> CatalogueRow:
    file = builder.file
    if len(cells) > len(HEADER):
        raise CatalogueError(
            file, line,
            f"có {len(cells)} cột, nhiều hơn {len(HEADER)} cột của tiêu đề "
            "(nội dung có dấu phẩy phải đặt trong ngoặc kép).",
        )
    values = dict(zip(HEADER, cells + [""] * (len(HEADER) - len(cells))))
    kind = _parse_kind(file, line, values["loai"])
    code = values["ma"]
    _check_code(file, line, code, kind)
    if not values["noi_dung"]:
        raise CatalogueError(file, line, f"mã '{code}': cột noi_dung đang trống.")
    compare = _parse_compare(file, line, values["so_sanh"])
    threshold = _parse_number(file, line, "nguong", values["nguong"]) if values["nguong"] else None
    regional = _parse_regional(file, line, values["nguong_theo_vung"])
    _check_threshold_fields(file, line, kind, compare, threshold, regional)
    return CatalogueRow(
        code=code, kind=kind, label=values["noi_dung"], unit=values["dvt"],
        requirement=values["yeu_cau"], compare=compare, threshold=threshold,
        regional=MappingProxyType(regional),
        to_check=_parse_flag(file, line, values["can_doi_chieu"]),
        source=values["nguon"], parent=builder.parent_for(line, code, kind),
    )


def _check_complete(builder: _Builder) -> None:
    """Every criterion has an indicator and every group a criterion; the file is not empty."""
    if not any(r.kind == "criterion" for r in builder.rows):
        raise CatalogueError(
            builder.file, None, "không có tiêu chí nào (cần ít nhất một dòng loai=tieu_chi)."
        )
    parents = {r.parent for r in builder.rows}
    for row in builder.rows:
        if row.kind in ("criterion", "group") and row.code not in parents:
            missing = "chỉ tiêu" if row.kind == "criterion" else "tiêu chí"
            raise CatalogueError(
                builder.file, builder.lines[row.code],
                f"{_KIND_LABELS[row.kind]} '{row.code}' chưa có {missing} nào.",
            )


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and check a catalogue CSV; raises CatalogueError with a Vietnamese message."""
    path = Path(path)
    if not path.is_file():
        raise CatalogueError(path.name, None, f"không tìm thấy tệp ({path}).")
    builder = _Builder(file=path.name)
    try:
        records = _records(path)
        first = next(records, None)
        if first is None:
            raise CatalogueError(path.name, None, "tệp trống.")
        _check_header(path.name, first[1])
        for line, cells in records:
            builder.add(line, _parse_row(builder, line, cells))
    except UnicodeDecodeError:
        raise CatalogueError(
            path.name, None,
            "không đọc được theo mã UTF-8; hãy lưu lại bằng Excel với kiểu \"CSV UTF-8\".",
        ) from None
    except csv.Error as exc:
        raise CatalogueError(path.name, None, f"tệp CSV bị lỗi định dạng ({exc}).") from None
    _check_complete(builder)
    return Catalogue(name=path.stem, rows=tuple(builder.rows))
