"""Intake of one file: refuse it safely or read its annexes, and say which unit and period it is.

Never raises for bad input: every problem becomes a Finding on the file's result.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import TEMPLATE_VERSION
from pipeline.annexes import Annex, load_annexes
from pipeline.annexes.slots import Slots, default_slots
from pipeline.config.period import Period, PeriodError
from pipeline.config.registry import Registry
from pipeline.core.findings import Finding
from pipeline.core.states import FileState
from pipeline.intake.cells import CellBlock
from pipeline.intake.clean import normalize_file
from pipeline.intake.read import AnnexRead, Cell, Workbook, read_annex
from pipeline.intake.safety import ReadError, library_failure
from pipeline.text.fold import fold

#: Template versions the reader maps by column titles (same layout family).
COMPATIBLE_PREFIX = TEMPLATE_VERSION.rsplit(".", 1)[0] + "."


@dataclass
class FileResult:
    path: Path
    file: str                      # path relative to the input folder, with "/"
    mtime: float
    unit_code: str | None = None
    unit_name: str | None = None
    period: str | None = None
    version: str | None = None
    #: The annexes read, until ``normalize`` turns their cells into ``block``.
    reads: list[AnnexRead] = field(default_factory=list)
    #: The normalized cells (only for a file whose data is usable: status "read").
    block: CellBlock | None = None
    findings: list[Finding] = field(default_factory=list)
    #: What normalizing changed (reported only for the file used for its unit).
    notes: list[Finding] = field(default_factory=list)
    #: Seconds spent reading and normalizing this file (for ``make bench``'s stage figures).
    seconds: tuple[float, float] = (0.0, 0.0)
    status: FileState = FileState.READ
    #: The workbook passed the safety checks and was parsed (a feedback copy can be made of it).
    opened: bool = False

    def normalize(self, slots: Slots) -> FileResult:
        """Type the cells read (``clean.normalize_file``); the raw cells are given up."""
        if self.status == FileState.READ and self.reads:
            self.block, self.notes = normalize_file(self.reads, slots, unit_code=self.unit_code or "",
                                                    file=self.file)
        self.reads = []
        return self

    def add(self, code: str, **kw) -> None:
        self.findings.append(Finding.make(code, unit_code=self.unit_code or "", file=self.file, **kw))


def intake_file(path: Path, rel: str, annexes: Mapping[str, Annex], registry: Registry,
                period: Period, slots: Slots | None = None) -> FileResult:
    """Read one file and normalize its cells (``FileResult.block``). Whatever happens while reading
    this one file (a library panic, MemoryError, RecursionError, a defect of ours) becomes a
    finding on this file and nothing more."""
    slots = slots or default_slots()
    started = time.perf_counter()
    try:
        result = _intake(path, rel, annexes, registry, period, slots)
        read = time.perf_counter()
        result.normalize(slots)
    except BaseException as exc:
        if not library_failure(exc):
            raise
        return failed_file(path, rel, registry, "file-crashed", "lỗi khi đọc nội dung file", exc)
    result.seconds = (read - started, time.perf_counter() - read)
    return result


def file_mtime(path: Path) -> float:
    """When the file was last changed; a broken link or a vanished file tells its link's time."""
    try:
        return path.stat().st_mtime
    except OSError:
        try:
            return path.lstat().st_mtime
        except OSError:
            return time.time()


def failed_file(path: Path, rel: str, registry: Registry, code: str, note: str,
                exc: BaseException | None = None, *, status: FileState = FileState.REFUSED) -> FileResult:
    """The result of a file that could not be read at all, named after its unit when its name
    says which (so the unit shows the problem, never "Chưa nộp")."""
    result = FileResult(path=path, file=rel, mtime=file_mtime(path), status=status)
    detail = "" if exc is None else f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:200]
    result.add(code, note=note, detail=detail)
    _guess_unit_from_name(result, registry)
    return result


def _intake(path: Path, rel: str, annexes: Mapping[str, Annex], registry: Registry,
            period: Period, slots: Slots) -> FileResult:
    result = FileResult(path=path, file=rel, mtime=file_mtime(path))
    try:
        book = Workbook(path)
    except ReadError as exc:
        result.status = FileState.SKIPPED if exc.code == "file-skipped" else FileState.REFUSED
        result.add(exc.code, note=exc.note, detail=exc.detail)
        _guess_unit_from_name(result, registry)
        return result
    try:
        _read_book(book, result, annexes, registry, period, slots)
        result.opened = True
    except ReadError as exc:
        result.status = FileState.REFUSED
        result.reads = []
        result.add(exc.code, note=exc.note, detail=exc.detail)
    except BaseException as exc:  # a defect we did not foresee must not lose the other communes
        if not library_failure(exc):
            raise
        result.status = FileState.REFUSED
        result.reads = []
        result.add("file-crashed", note="lỗi khi đọc nội dung file",
                   detail=f"{type(exc).__name__}: {str(exc)[:150]}")
    finally:
        book.close()
    if result.unit_code is None:
        _guess_unit_from_name(result, registry)
    result.findings = [_with_file(f, result) for f in result.findings]
    return result


def _read_book(book: Workbook, result: FileResult, annexes: Mapping[str, Annex], registry: Registry,
               period: Period, slots: Slots) -> None:
    if book.format in ("xls", "ods", "xlsb"):
        result.add("file-old-format", note=f".{book.format}")
    reads = {code: read_annex(book, annex, slots) for code, annex in annexes.items()}
    tt = {c.row_code: c for c in reads["TT"].cells(slots)}
    meta = book.meta()
    if not _identify(result, meta, tt, registry, period):
        result.findings.extend(_with_file(f, result) for r in reads.values() for f in r.findings)
        return
    for read in reads.values():
        result.findings.extend(_with_file(f, result) for f in read.findings)
        result.reads.append(read)


def _with_file(finding: Finding, result: FileResult) -> Finding:
    return Finding(**{**finding.to_dict(), "unit_code": result.unit_code or "", "file": result.file})


def _text(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _identify(result: FileResult, meta: dict[str, str], tt: dict[str, Cell], registry: Registry,
              period: Period) -> bool:
    """Unit, period and version from the hidden fields, then TT, then the unit name."""
    version = meta.get("template_version", "")
    result.version = version or None
    known = registry.unit(meta.get("unit_code", "")) if meta.get("unit_code") else None
    if known is not None:  # named even when the file is refused below
        result.unit_code, result.unit_name = known.code, known.name
    if not version and not tt:
        result.status = FileState.REFUSED
        result.add("template-unknown", note="không có trang Thông tin chung và thông tin ẩn của biểu mẫu")
        return False
    if version and version != TEMPLATE_VERSION:
        if not version.startswith(COMPATIBLE_PREFIX):
            result.status = FileState.REFUSED
            result.add("template-unknown", note=f"phiên bản {version}")
            return False
        result.add("template-version", note=version)

    meta_code, tt_code = meta.get("unit_code", ""), _text(tt.get("MA_DV"))
    unit = registry.unit(meta_code) if meta_code else None
    tt_unit = registry.unit(tt_code) if tt_code else None
    if unit is None:
        unit = tt_unit
    if unit is None:
        name = _text(tt.get("TEN_DV")) or meta.get("unit_name", "")
        unit = registry.match_name(name) if name else None
        unit = unit or registry.match_name(result.path.stem)
        if unit is not None:
            result.unit_code, result.unit_name = unit.code, unit.name
            result.add("unit-from-name", note=f"'{name or result.path.name}' → {unit.name}")
    if unit is None:
        result.status = FileState.REFUSED
        shown = tt_code or meta_code or _text(tt.get("TEN_DV")) or "không có mã"
        cell = tt.get("MA_DV")
        result.add("unit-unknown", note=f"mã '{shown}'" if shown else "",
                   sheet=cell.sheet if cell else "", cell=cell.cell if cell else "")
        return False
    result.unit_code, result.unit_name = unit.code, unit.name
    if tt_code and tt_code != unit.code:
        cell = tt["MA_DV"]
        result.add("unit-mismatch", sheet=cell.sheet, cell=cell.cell,
                   note=f"mã trong trang Thông tin chung là {tt_code}, biểu mẫu cấp cho {unit.code}")
    tt_name = _text(tt.get("TEN_DV"))
    if tt_name and fold(tt_name) != fold(unit.name) and not tt_code:
        cell = tt["TEN_DV"]
        result.add("unit-mismatch", sheet=cell.sheet, cell=cell.cell,
                   note=f"tên '{tt_name}' khác {unit.name}")

    found_period = meta.get("period") or _text(tt.get("KY"))
    tt_period = _text(tt.get("KY"))
    result.period = found_period or None
    wrong = [p for p in {found_period, tt_period} if p and _as_period(p) != period]
    if wrong:
        result.status = FileState.REFUSED
        cell = tt.get("KY")
        result.add("period-mismatch", sheet=cell.sheet if cell else "", cell=cell.cell if cell else "",
                   note=", ".join(_period_words(p) for p in sorted(wrong)))
        return False
    return True


def _as_period(text: str) -> Period | None:
    try:
        return Period.parse(text)
    except PeriodError:
        return None
def _period_words(text: str) -> str:
    """ "2023-H2" as a person reads it: "6 tháng cuối năm 2023" (as typed when it is no period)."""
    try:
        return Period.parse(text).label
    except PeriodError:
        return f"'{text}'"


def _guess_unit_from_name(result: FileResult, registry: Registry) -> None:
    """An unreadable file still tells whose it is when its name does (``15652_ThoThanh.xlsx``)."""
    stem = result.path.stem
    code = stem.split("_", 1)[0]
    unit = registry.unit(code) if code.isdigit() else None
    unit = unit or registry.match_name(stem)
    if unit is not None and result.status != FileState.SKIPPED:
        result.unit_code, result.unit_name = unit.code, unit.name
        result.findings = [_with_file(f, result) for f in result.findings]


# Many files: in parallel across cores once there are enough of them to pay for the workers.

#: Below this many workbooks, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 48
_WORKER: dict[str, Any] = {}


def _init_worker(registry: Registry, period: Period) -> None:
    _WORKER.update(registry=registry, period=period, annexes=load_annexes(), slots=default_slots())


def _intake_one(item: tuple[Path, str]) -> FileResult:
    path, rel = item
    return intake_file(path, rel, _WORKER["annexes"], _WORKER["registry"], _WORKER["period"],
                       _WORKER["slots"])


def intake_all(found: Sequence, registry: Registry, period: Period, *, workers: int | None = None,
               progress: Callable[[Iterable, int], Iterable] | None = None) -> list[FileResult]:
    """``intake_file`` (read and normalize) for every found workbook, in input order; parallel for
    large inputs. Each result carries its cells as a compact ``CellBlock``.

    In parallel, a worker that dies (a crash in a reader library, the system killing it) or a
    result that cannot be sent back loses nothing: the files it held are read again in a new pool,
    then one by one in a process of their own, and a file that still fails gets a finding."""
    items = [(f.path, f.rel) for f in found]
    workers = workers or os.cpu_count() or 1
    show = progress or (lambda it, _n: it)
    if workers < 2 or len(items) < PARALLEL_MIN_FILES:
        _init_worker(registry, period)
        return [r for r in show(map(_intake_one, items), len(items))]
    chunk = max(1, min(64, len(items) // (workers * 8)))
    results: list[FileResult | None] = list(show(_pooled(items, registry, period, workers, chunk),
                                                 len(items)))
    for _round in range(POOL_RETRIES):
        again = [i for i, r in enumerate(results) if r is None]
        if not again:
            break
        for i, r in zip(again, _pooled([items[i] for i in again], registry, period, workers, 1)):
            results[i] = r
    for i in [i for i, r in enumerate(results) if r is None]:
        results[i] = _alone(items[i], registry, period)
    return results  # type: ignore[return-value]


#: New pools tried for the files of a pool that broke, before each is read in a process of its own.
POOL_RETRIES = 2


def _intake_chunk(chunk: list[tuple[Path, str]]) -> list[FileResult]:
    return [_intake_one(item) for item in chunk]


def _pooled(items: list[tuple[Path, str]], registry: Registry, period: Period, workers: int,
            chunk: int) -> Iterator[FileResult | None]:
    """The result of each item in order, or None for an item whose worker failed."""
    chunks = [items[i:i + chunk] for i in range(0, len(items), chunk)]
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(registry, period)) as pool:
        futures = [pool.submit(_intake_chunk, c) for c in chunks]
        for part, future in zip(chunks, futures):
            done: Sequence[FileResult | None]
            try:
                done = future.result()
            except BaseException as exc:  # BrokenProcessPool, PicklingError, …
                if not library_failure(exc):
                    raise
                done = [None] * len(part)
            yield from done


def _alone(item: tuple[Path, str], registry: Registry, period: Period) -> FileResult:
    """Read one file in a process of its own: if that process dies, only this file is lost."""
    path, rel = item
    try:
        with ProcessPoolExecutor(max_workers=1, initializer=_init_worker,
                                 initargs=(registry, period)) as pool:
            return pool.submit(_intake_one, item).result()
    except BaseException as exc:
        if not library_failure(exc):
            raise
        return failed_file(path, rel, registry, "file-crashed",
                           "chương trình đọc file bị dừng đột ngột", exc)
