"""``consolidate``: discover → read → normalize → validate → rules → consolidate → write.

Each stage has one input and one output; the writers put everything in a temporary folder first and
move it into ``output/`` only when all of it was written, so a failed run leaves the last good output.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.annexes import load_annexes
from pipeline.config.paths import INPUT_DIR, OUTPUT_DIR, SAMPLES_DIR
from pipeline.intake.cells import cells_frame
from pipeline.intake.discover import discover
from pipeline.core.findings import Finding, cap_per_file
from pipeline.intake.files import FileResult, failed_file, file_mtime, intake_all
from pipeline.config.period import Period, PeriodError
from pipeline.progress import progress
from pipeline.checks.rules import check_rules
from pipeline.checks.schema import validate_cells
from pipeline.config.settings import Settings
from pipeline.annexes.slots import default_slots
from pipeline.text.names import ascii_name, strip_unit_prefix
from pipeline.core.states import Level, UnitStatus
from pipeline.district.tables import build_district
from pipeline.console import print_summary
from pipeline.outputs.publish import failure_message, write_outputs
from pipeline.result import RunResult





def consolidate(settings: Settings, *, input_dir: Path | None = None, output_dir: Path | None = None,
                period: str | None = None, strict: bool = False, quiet: bool = False) -> int:
    try:
        run_period = Period.parse(period) if period else settings.period
    except PeriodError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    folder, used_samples = _input_folder(input_dir, run_period)
    if not folder.is_dir():
        print(f"Lỗi: không tìm thấy thư mục {folder}.", file=sys.stderr)
        return 2
    if used_samples and not quiet:
        print(f"Thư mục input/ chưa có file của xã: chạy thử với các file mẫu trong {folder}.")
    result = run_checks(settings, run_period, folder, quiet=quiet)
    result.used_samples = used_samples
    if used_samples:  # the samples' file dates are when they were checked out, not received
        result.units["on_time"] = None
    with _stage(result.timings, "consolidate"):
        district = build_district(result)
    out = Path(output_dir) if output_dir else OUTPUT_DIR
    try:
        write_outputs(result, district, out)
    except OSError as exc:
        print(failure_message(exc, out), file=sys.stderr)
        print(f"Chi tiết kỹ thuật: {exc}", file=sys.stderr)
        return 3
    if not quiet:
        print_summary(result)
    if strict and any(f.level == Level.ERROR for f in result.findings):
        print("Có Lỗi và đang chạy với --strict: mã thoát 1.", file=sys.stderr)
        return 1
    return 0


def _input_folder(input_dir: Path | None, period: Period) -> tuple[Path, bool]:
    if input_dir is not None:
        return Path(input_dir), False
    if INPUT_DIR.is_dir() and discover(INPUT_DIR):
        return INPUT_DIR, False
    return SAMPLES_DIR / str(period), True


@contextmanager
def _stage(timings: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[name] = timings.get(name, 0.0) + time.perf_counter() - start


def run_checks(settings: Settings, period: Period, folder: Path, *, quiet: bool = False,
               workers: int | None = None) -> RunResult:
    """Discover, read, normalize, validate and check every file of ``folder``."""
    annexes = load_annexes()
    timings: dict[str, float] = {}
    started = datetime.now().replace(microsecond=0)
    with _stage(timings, "discover"):
        found = discover(folder)
    files = [_not_a_workbook(f, settings) for f in found if f.kind != "workbook"]
    workbooks = [f for f in found if f.kind == "workbook"]
    with _stage(timings, "read"):
        files += intake_all(workbooks, settings.registry, str(period), workers=workers,
                            progress=None if quiet else
                            (lambda items, n: progress(items, "Đọc file của các xã", total=n)))
        _resolve_duplicates(files)
    worker = {"read": sum(r.seconds[0] for r in files), "normalize": sum(r.seconds[1] for r in files)}
    cells, findings = _check_cells(files, annexes, timings)
    findings = cap_per_file([f for r in files for f in r.findings] + findings)
    units = _unit_status(settings, files, findings)
    result = RunResult(settings, period, folder, files, cells, findings, units, timings=timings,
                       worker_seconds=worker,
                       started=started)
    return result


def _not_a_workbook(found, settings: Settings) -> FileResult:
    if found.kind == "folder-unreadable":  # its files are the units' problem, never "Chưa nộp"
        return failed_file(found.path, found.rel, settings.registry, "folder-unreadable", found.rel)
    result = FileResult(path=found.path, file=found.rel, mtime=file_mtime(found.path),
                        status="skipped")
    result.add("file-lock" if found.kind == "lock" else "file-skipped", note=found.path.name)
    return result


def _resolve_duplicates(files: list[FileResult]) -> None:
    """A unit that sent several files: the newest (then the last by name) wins; all are named."""
    by_unit: dict[str, list[FileResult]] = {}
    for r in files:
        if r.status == "read" and r.unit_code:
            by_unit.setdefault(r.unit_code, []).append(r)
    for unit, group in by_unit.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda r: (r.mtime, r.file))
        winner = group[-1]
        names = ", ".join(r.file for r in group)
        for r in group[:-1]:
            r.status = "superseded"
        winner.add("duplicate-file", note=f"{names}; dùng file mới nhất {winner.file}")


def _check_cells(files: list[FileResult], annexes, timings: dict[str, float]
                 ) -> tuple[pd.DataFrame, list[Finding]]:
    with _stage(timings, "normalize"):
        used = [r for r in files if r.status == "read"]
        notes = [f for r in used for f in r.notes]
        frame = cells_frame([(r.unit_code, r.file, r.block) for r in used if r.block is not None],
                            default_slots())
        for r in files:  # the frame holds them now
            r.block, r.notes = None, []
        if frame.empty:
            return frame.assign(usable=False)[list(KEPT_COLUMNS) + ["usable"]], notes
    with _stage(timings, "validate"):
        errors, bad = validate_cells(frame, annexes)
        # Only the cells, their clean values and usability are needed from here on (memory).
        frame = pd.DataFrame({k: frame[k] for k in KEPT_COLUMNS}, copy=False)
        frame["usable"] = ~bad
    with _stage(timings, "rules"):
        cross = check_rules(frame.loc[frame["usable"].to_numpy(), list(KEPT_COLUMNS)], annexes)
    # A cross-rule Lỗi makes its cell unusable too.
    flagged = {(f.file, f.sheet, f.cell) for f in cross if f.level == Level.ERROR}
    if flagged:
        near = np.flatnonzero(frame["cell"].isin({cell for _file, _sheet, cell in flagged}).to_numpy())
        keys = zip(frame["file"].to_numpy()[near], frame["sheet"].to_numpy()[near],
                   frame["cell"].to_numpy()[near])
        usable = frame["usable"].to_numpy().copy()
        usable[near[[k in flagged for k in keys]]] = False
        frame["usable"] = usable
    return frame, notes + errors + cross


#: Columns of the cells frame kept after validation: what rules, consolidation and writing use.
KEPT_COLUMNS = ("unit_code", "file", "sheet", "cell", "annex", "row_code", "column", "role", "value",
                "number")


def _unit_status(settings: Settings, files: list[FileResult], findings: list[Finding]) -> pd.DataFrame:
    rows = []
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for f in findings:
        c = counts.setdefault((f.unit_code, f.file), {Level.ERROR: 0, Level.WARNING: 0, Level.INFO: 0})
        c[f.level] = c.get(f.level, 0) + 1
    deadline = settings.deadline
    files_of: dict[str | None, list[FileResult]] = {}
    for r in files:
        files_of.setdefault(r.unit_code, []).append(r)
    for unit in settings.registry.units:
        mine = files_of.get(unit.code, [])
        used = next((r for r in mine if r.status == "read"), None)
        shown = used or (max(mine, key=lambda r: r.mtime) if mine else None)
        c = counts.get((unit.code, shown.file), {}) if shown else {}
        if shown is None:
            status = UnitStatus.MISSING
        elif used is None or c.get(Level.ERROR, 0):
            status = UnitStatus.ERROR
        elif c.get(Level.WARNING, 0):
            status = UnitStatus.WARN
        else:
            status = UnitStatus.OK
        received = pd.Timestamp.fromtimestamp(shown.mtime) if shown else pd.NaT
        rows.append({
            "unit_code": unit.code, "unit_name": unit.name, "status": status,
            "usable": used is not None,
            "file": shown.file if shown else "", "files": "; ".join(r.file for r in mine),
            "received": received,
            "on_time": (received.date() <= deadline) if (shown and deadline) else None,
            "errors": c.get(Level.ERROR, 0), "warnings": c.get(Level.WARNING, 0), "infos": c.get(Level.INFO, 0),
        })
    # Files of units outside the registry still show, so nothing a commune sent is lost.
    for r in files:
        if r.status in ("refused", "read") and (not r.unit_code or
                                                settings.registry.unit(r.unit_code) is None):
            c = counts.get((r.unit_code or "", r.file), {})
            rows.append({"unit_code": r.unit_code or "", "unit_name": r.unit_name or "(không xác định)",
                         "status": UnitStatus.ERROR, "usable": False, "file": r.file, "files": r.file,
                         "received": pd.Timestamp.fromtimestamp(r.mtime), "on_time": None,
                         "errors": c.get(Level.ERROR, 0), "warnings": c.get(Level.WARNING, 0),
                         "infos": c.get(Level.INFO, 0)})
    return pd.DataFrame(rows)
