"""``import-history``: load earlier periods from the tool's own outputs (values.csv or the summary
workbook's "Dữ liệu chi tiết" sheet), so a district starts with history on day one.

The period comes from ``run.json`` beside the file, else from the values themselves (the TT row
"KY"), else from ``--period``. The commune workbooks are not at hand, so each unit's submission is
keyed by a hash of the output file and the commune file name it names; values are typed by the
annex definitions (a number column gives numbers, a text column text).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import pandas as pd
from python_calamine import CalamineWorkbook

from pipeline import __version__
from pipeline.annexes import Annex, load_annexes
from pipeline.archive.store import Accepted, Archive, FileSeen, file_sha256
from pipeline.config.period import Period, PeriodError

DETAILS_SHEET = "Dữ liệu chi tiết"
_DETAIL_TITLES = {"Mã đơn vị": "unit_code", "Phụ biểu": "annex", "Mã dòng": "row_code", "Cột": "column",
                  "Giá trị": "value", "File": "file", "Ô": "cell"}


class ImportError_(Exception):
    """A file that cannot be imported (Vietnamese message)."""


def import_history(archive: Archive, path: Path, period: str | None = None) -> tuple[str, dict[str, int]]:
    """Import one output file; returns its period and what recording changed."""
    path = Path(path)
    annexes = load_annexes()
    if path.suffix.lower() == ".csv":
        frame = _read_values_csv(path)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = _read_details(path, annexes)
    else:
        raise ImportError_(f"{path.name}: chỉ nhập được values.csv hoặc bảng tổng hợp TongHop_…xlsx.")
    if frame.empty:
        raise ImportError_(f"{path.name}: không có số liệu nào để nhập.")
    found = _period(path, frame, period)
    frame["value"] = [_typed(annexes, a, r, c, v) for a, r, c, v in
                      zip(frame["annex"], frame["row_code"], frame["column"], frame["value"])]
    source, size = file_sha256(path)
    seen_at = _generated(path)
    # An output holds one file per unit (the one used); should it hold two, the last is kept.
    last = frame.drop_duplicates("unit_code", keep="last").set_index("unit_code")["file"]
    frame = frame[frame["file"].to_numpy(dtype=object) == last.reindex(frame["unit_code"]).to_numpy()]
    files, accepted = [], []
    for unit, name in last.items():
        sha = hashlib.sha256(f"import:{source}:{unit}:{name}".encode()).hexdigest()
        files.append(FileSeen(sha, f"{name} (nhập từ {path.name})", 0, seen_at))
        accepted.append(Accepted(unit, sha))
    counts = archive.record(period=found, started=datetime.now().replace(microsecond=0), kind="import",
                            settings={"imported_from": str(path), "sha256": source, "size": size},
                            files=files, accepted=accepted,
                            values=frame[["unit_code", "annex", "row_code", "column", "cell", "value"]],
                            tool_version=__version__)
    return found, counts


def _read_values_csv(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = {"unit_code", "annex", "row_code", "column", "value", "file", "cell"} - set(frame.columns)
    if missing:
        raise ImportError_(f"{path.name}: không phải values.csv của công cụ (thiếu cột {', '.join(sorted(missing))}).")
    return frame[["unit_code", "annex", "row_code", "column", "value", "file", "cell"]].copy()


def _read_details(path: Path, annexes: Mapping[str, Annex]) -> pd.DataFrame:
    try:
        # Cells of any type: titles and keys are looked up with the cells as they are.
        rows = cast(list[list[Any]], CalamineWorkbook.from_path(str(path)).get_sheet_by_name(DETAILS_SHEET).to_python())
    except Exception as exc:  # calamine raises its own error types for a missing sheet or a bad file
        raise ImportError_(f"{path.name}: không đọc được trang '{DETAILS_SHEET}' ({exc}).") from exc
    head = next((i for i, r in enumerate(rows) if "Mã đơn vị" in r and "Giá trị" in r), None)
    if head is None:
        raise ImportError_(f"{path.name}: trang '{DETAILS_SHEET}' không có bảng số liệu chi tiết "
                           "(bảng tổng hợp lớn ghi số liệu trong values.csv: hãy nhập file đó).")
    at = {_DETAIL_TITLES[t]: i for i, t in enumerate(rows[head]) if t in _DETAIL_TITLES}
    records = []
    for r in rows[head + 1:]:
        unit, annex = str(r[at["unit_code"]]).strip(), str(r[at["annex"]]).strip()
        if not unit or annex not in annexes:
            continue
        titles = {c.title: c.key for c in annexes[annex].columns}
        records.append({"unit_code": unit, "annex": annex, "row_code": _code(r[at["row_code"]]),
                        "column": titles.get(r[at["column"]], r[at["column"]]),
                        "value": r[at["value"]], "file": r[at["file"]], "cell": r[at["cell"]]})
    return pd.DataFrame(records, columns=["unit_code", "annex", "row_code", "column", "value", "file",
                                          "cell"])


def _code(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _period(path: Path, frame: pd.DataFrame, given: str | None) -> str:
    if given:
        return str(Period.parse(given))
    run = path.parent / "run.json"
    if run.is_file():
        try:
            return str(Period.parse(json.loads(run.read_text(encoding="utf-8"))["period"]))
        except (ValueError, KeyError, PeriodError):
            pass
    typed = frame.loc[(frame["annex"] == "TT") & (frame["row_code"] == "KY"), "value"]
    for text in typed.astype(str).value_counts().index:
        try:
            return str(Period.parse(text))
        except PeriodError:
            continue
    raise ImportError_(f"{path.name}: không xác định được kỳ báo cáo; ghi thêm --period, ví dụ 2023-H2.")


def _generated(path: Path) -> datetime | None:
    run = path.parent / "run.json"
    try:
        return datetime.fromisoformat(json.loads(run.read_text(encoding="utf-8"))["generated"])
    except (OSError, ValueError, KeyError):
        return None


def _typed(annexes: Mapping[str, Annex], annex: str, row_code: str, column: str, value: object) -> object:
    """The value as the run's cells hold it: a number where the definition says number."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = "" if value is None else str(value)
    definition = annexes.get(annex)
    if definition is None:
        return text
    try:
        col = definition.column(column)
        row = definition.row(row_code) if definition.kind != "list" else None
    except (KeyError, ValueError):
        return text
    if definition.cell_kind(row, col) in ("text", "date"):
        return text
    try:  # numbers, and numbers in a choice column (a computed count of criteria met)
        return float(text)
    except ValueError:
        return text
