"""``consolidate``: discover → read → normalize → validate → rules → consolidate → write.

Each stage has one input and one output; the writers put everything in a temporary folder first and
move it into ``output/`` only when all of it was written, so a failed run leaves the last good output.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.annexes import load_annexes
from pipeline.annexes.slots import default_slots
from pipeline.archive.history import check_history
from pipeline.archive.stage import hash_files, received_dates, record_run, used_files
from pipeline.archive.store import Archive, ArchiveError, archive_path
from pipeline.archive.trend import TREND_ITEMS
from pipeline.checks.rules import check_rules
from pipeline.checks.schema import validate_cells
from pipeline.config.paths import INPUT_DIR, OUTPUT_DIR, SAMPLES_DIR
from pipeline.config.period import Period, PeriodError
from pipeline.config.settings import Settings
from pipeline.console import print_summary
from pipeline.core.findings import Finding, cap_per_file
from pipeline.core.states import FileState, Level, UnitStatus
from pipeline.district.narrative import narrative_facts
from pipeline.district.tables import build_district
from pipeline.intake.cells import cells_frame
from pipeline.intake.discover import discover
from pipeline.intake.files import FileResult, failed_file, file_mtime, intake_all
from pipeline.outputs.publish import failure_message, write_outputs
from pipeline.progress import progress
from pipeline.result import RunResult
from pipeline.text.numbers import vn_count


def consolidate(settings: Settings, *, input_dir: Path | None = None, output_dir: Path | None = None,
                period: str | None = None, strict: bool = False, quiet: bool = False) -> int:
    try:
        run_period = Period.parse(period) if period else settings.period
    except PeriodError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    folder, used_samples = _input_folder(input_dir, run_period)
    if folder.is_file():
        print(f"Lỗi: {folder} là một file, không phải thư mục. Ghi thư mục chứa các file của xã, "
              f"ví dụ --input {folder.parent if str(folder.parent) != '.' else 'input'}.",
              file=sys.stderr)
        return 2
    if not folder.is_dir():
        print(f"Lỗi: không tìm thấy thư mục {folder}.", file=sys.stderr)
        return 2
    if used_samples and not quiet:
        print(f"Thư mục input/ chưa có file của xã: chạy thử với các file mẫu trong {folder}.")
    archive = None
    if not used_samples:  # the bundled samples are not this district's history
        try:
            archive = Archive(archive_path(settings))
        except ArchiveError as exc:
            print(f"Lỗi: {exc}", file=sys.stderr)
            return 2
    try:
        result = run_checks(settings, run_period, folder, quiet=quiet, archive=archive)
        result.used_samples = used_samples
        result.other_period = other_period(result.files, run_period)
        if result.other_period and not quiet:
            print(wrong_period_message(result, folder), file=sys.stderr)
        if used_samples:  # the samples' file dates are when they were checked out, not received
            result.units["on_time"] = None
        with _stage(result.timings, "consolidate"):
            district = build_district(result)
            facts = narrative_facts(result, district)
        if archive is not None:
            with _stage(result.timings, "archive"):
                result.archived = record_run(archive, result)
    except sqlite3.Error as exc:
        print(f"Lỗi: không ghi được vào kho lưu trữ {archive.path if archive else ''} ({exc}). "
              "Kho lưu trữ được giữ nguyên như trước lần chạy này.", file=sys.stderr)
        return 3
    finally:
        if archive is not None:
            archive.close()
    out = Path(output_dir) if output_dir else OUTPUT_DIR
    try:
        write_outputs(result, district, facts, out)
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
    """The folder to read, and whether it holds the bundled samples (a sample run says so)."""
    if input_dir is not None:
        folder = Path(input_dir).resolve()
        return Path(input_dir), folder == SAMPLES_DIR.resolve() or SAMPLES_DIR.resolve() in folder.parents
    if INPUT_DIR.is_dir() and discover(INPUT_DIR):
        return INPUT_DIR, False
    return SAMPLES_DIR / str(period), True


def other_period(files: list[FileResult], period: Period) -> str | None:
    """The period most of the run's workbooks are of, when that is not the run's period: the
    clerk ran the wrong period (or copied the wrong folder), not every commune sent a wrong file."""
    found = [r.period for r in files if r.status != FileState.SKIPPED and r.period]
    if not found:
        return None
    common = max(set(found), key=found.count)
    wrong = common.upper() != str(period).upper()
    return common if wrong and found.count(common) * 2 > len(found) else None


def wrong_period_message(result: RunResult, folder: Path) -> str:
    other = result.other_period
    assert other is not None  # asked only when the files name another period
    found = [r.period for r in result.files if r.period]
    same = found.count(other)
    try:
        label = Period.parse(other).label
    except PeriodError:
        label = other
    share = "đều" if same == len(found) else f"phần lớn ({vn_count(same)}/{vn_count(len(found))} file)"
    return (f"Chú ý: các file trong {folder} {share} là báo cáo {label}; kỳ đang tổng hợp là "
            f"{result.period.label}. Nếu cần tổng hợp {label}, chạy lại với --period "
            f"{result.other_period} (hoặc sửa kỳ báo cáo trong templates/cai_dat.toml). Không tạo "
            "bản phản hồi chỉ vì khác kỳ.")


@contextmanager
def _stage(timings: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[name] = timings.get(name, 0.0) + time.perf_counter() - start


def run_checks(settings: Settings, period: Period, folder: Path, *, quiet: bool = False,
               workers: int | None = None, archive: Archive | None = None) -> RunResult:
    """Discover, read, normalize, validate and check every file of ``folder``; with ``archive``,
    also compare with the earlier periods kept there (received dates, changes, history checks)."""
    annexes = load_annexes()
    timings: dict[str, float] = {}
    started = datetime.now().replace(microsecond=0)
    with _stage(timings, "discover"):
        found = discover(folder)
    files = [_not_a_workbook(f, settings) for f in found if f.kind != "workbook"]
    workbooks = [f for f in found if f.kind == "workbook"]
    with _stage(timings, "read"):
        files += intake_all(workbooks, settings.registry, period, workers=workers,
                            progress=None if quiet else
                            (lambda items, n: progress(items, "Đọc file của các xã", total=n)))
        _resolve_duplicates(files)
    worker = {"read": sum(r.seconds[0] for r in files), "normalize": sum(r.seconds[1] for r in files)}
    cells, findings = _check_cells(files, annexes, timings)
    hashes, received, by_hand, history = {}, None, None, None
    if archive is not None:
        with _stage(timings, "archive"):
            hashes = hash_files(files)
            received, by_hand = received_dates(archive, hashes, started, str(period))
            history = check_history(archive, period, cells, used_files(files, hashes, settings.registry),
                                    annexes)
            trend = archive.figures([u.code for u in settings.registry.units], TREND_ITEMS)
        findings = findings + history.findings
    findings = cap_per_file([f for r in files for f in r.findings] + findings)
    units = _unit_status(settings, files, findings, received, by_hand)
    result = RunResult(settings, period, folder, files, cells, findings, units, timings=timings,
                       worker_seconds=worker,
                       started=started)
    if history is not None:
        result.hashes, result.changes, result.history = hashes, history.changes, history.history
        result.trend = trend[trend["period"] != str(period)].reset_index(drop=True)
    return result


def _not_a_workbook(found, settings: Settings) -> FileResult:
    if found.kind == "folder-unreadable":  # its files are the units' problem, never "Chưa nộp"
        return failed_file(found.path, found.rel, settings.registry, "folder-unreadable", found.rel)
    result = FileResult(path=found.path, file=found.rel, mtime=file_mtime(found.path),
                        status=FileState.SKIPPED)
    result.add("file-lock" if found.kind == "lock" else "file-skipped", note=found.path.name)
    return result


def _resolve_duplicates(files: list[FileResult]) -> None:
    """A unit that sent several files: the newest (then the last by name) wins; all are named."""
    by_unit: dict[str, list[FileResult]] = {}
    for r in files:
        if r.status == FileState.READ and r.unit_code:
            by_unit.setdefault(r.unit_code, []).append(r)
    for _unit, group in by_unit.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda r: (r.mtime, r.file))
        winner = group[-1]
        names = ", ".join(r.file for r in group)
        for r in group[:-1]:
            r.status = FileState.SUPERSEDED
        winner.add("duplicate-file", note=f"{names}; dùng file mới nhất {winner.file}")


def _check_cells(files: list[FileResult], annexes, timings: dict[str, float]
                 ) -> tuple[pd.DataFrame, list[Finding]]:
    with _stage(timings, "normalize"):
        used = [r for r in files if r.status == FileState.READ]
        notes = [f for r in used for f in r.notes]
        frame = cells_frame([(r.unit_code or "", r.file, r.block) for r in used if r.block is not None],
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


def _received(r: FileResult, received: Mapping[str, pd.Timestamp] | None) -> pd.Timestamp:
    """When a file was received: the first time a run saw its content (the archive), else (no
    archive) its modification time."""
    if received is not None and r.file in received:
        return received[r.file]
    return pd.Timestamp.fromtimestamp(r.mtime)


def _unit_status(settings: Settings, files: list[FileResult], findings: list[Finding],
                 received_at: Mapping[str, pd.Timestamp] | None = None,
                 by_hand: Mapping[str, date] | None = None) -> pd.DataFrame:
    rows = []
    by_hand = by_hand or {}
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
        used = next((r for r in mine if r.status == FileState.READ), None)
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
        received = _received(shown, received_at) if shown else pd.NaT
        if shown and unit.code in by_hand:  # a date the clerk typed (ngay_nhan.csv) wins
            received = pd.Timestamp(by_hand[unit.code])
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
        if r.status in (FileState.REFUSED, FileState.READ) and (not r.unit_code or
                                                settings.registry.unit(r.unit_code) is None):
            c = counts.get((r.unit_code or "", r.file), {})
            rows.append({"unit_code": r.unit_code or "", "unit_name": r.unit_name or "(không xác định)",
                         "status": UnitStatus.ERROR, "usable": False, "file": r.file, "files": r.file,
                         "received": _received(r, received_at), "on_time": None,
                         "errors": c.get(Level.ERROR, 0), "warnings": c.get(Level.WARNING, 0),
                         "infos": c.get(Level.INFO, 0)})
    return pd.DataFrame(rows)
