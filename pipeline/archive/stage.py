"""The run's archive steps: hash the files, find their received dates, record what was accepted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

import pandas as pd

from pipeline import __version__
from pipeline.archive.received import dates_by_hand, write_template
from pipeline.archive.store import Accepted, Archive, FileSeen, file_sha256, used_values
from pipeline.core.states import FileState
from pipeline.intake.files import FileResult

#: File statuses whose content was looked at (a skipped non-workbook is not "a file seen").
_SEEN = (FileState.READ, FileState.REFUSED, FileState.SUPERSEDED)


def hash_files(files: Sequence[FileResult]) -> dict[str, tuple[str, int]]:
    """Relative file name → (SHA-256, size) of every workbook the run looked at."""
    out = {}
    for r in files:
        # Only regular files: a FIFO named .xlsx would block the read forever.
        if r.status in _SEEN and r.path.is_file():
            try:
                out[r.file] = file_sha256(r.path)
            except OSError:
                continue
    return out


def received_dates(archive: Archive, hashes: Mapping[str, tuple[str, int]], now: datetime,
                   period: str) -> tuple[dict[str, pd.Timestamp], dict[str, date]]:
    """(file → received, unit → date typed by hand): a content first seen now is received now."""
    seen = archive.first_seen(sha for sha, _ in hashes.values())
    by_file = {f: pd.Timestamp(seen.get(sha, now)) for f, (sha, _) in hashes.items()}
    return by_file, dates_by_hand(archive.path.parent, period)


def used_files(files: Sequence[FileResult], hashes: Mapping[str, tuple[str, int]], registry
               ) -> dict[str, tuple[str, str]]:
    """Unit code → (file, SHA-256) of the file used for each registry unit."""
    return {r.unit_code: (r.file, hashes[r.file][0]) for r in files
            if r.status == FileState.READ and r.unit_code and r.file in hashes
            and registry.unit(r.unit_code) is not None}


def record_run(archive: Archive, result) -> dict[str, int]:
    """Record ``result`` (a RunResult) in one transaction."""
    hashes = result.hashes
    used = used_files(result.files, hashes, result.settings.registry)
    cells = result.cells
    accepted, values = [], pd.DataFrame(columns=["unit_code", "annex", "row_code", "column", "cell",
                                                 "value"])
    if not cells.empty and used:
        values = cells.iloc[used_values(cells)]
        # The cells of the used files only (a frame holds no other file of a registry unit).
        values = values[values["file"].isin({file for file, _sha in used.values()}).to_numpy()]
        values = values[["unit_code", "annex", "row_code", "column", "cell", "value"]]
        present = set(pd.unique(values["unit_code"].to_numpy(dtype=object)))
        accepted = [Accepted(unit, sha) for unit, (_file, sha) in used.items() if unit in present]
    seen = [FileSeen(sha, name, size) for name, (sha, size) in hashes.items()]
    registry = result.settings.registry
    settings = {"registry": {"level": registry.level, "code": registry.code, "name": registry.name,
                             "size": len(registry.units)},
                "deadline": result.settings.deadline.isoformat() if result.settings.deadline else None,
                "input_dir": str(result.input_dir)}
    counts = archive.record(period=str(result.period), started=result.started, kind="consolidate",
                            settings=settings, files=seen, accepted=accepted, values=values,
                            now=result.started, tool_version=__version__)
    write_template(archive.path.parent)  # where the clerk types received dates, found beside it
    return counts
