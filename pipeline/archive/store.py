"""Open the archive, look things up in it, and record a run in one transaction.

The path comes from ``[luu_tru] tep`` in cai_dat.toml (relative to the tool's folder); the
environment variable ``NTM_LUU_TRU`` overrides it (tests and scripts use it to point elsewhere).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from pipeline.archive.schema import ArchiveVersionError, ensure_schema
from pipeline.config.paths import REPO

ENV_PATH = "NTM_LUU_TRU"
#: Parameters per ``IN (…)`` query: below SQLite's default limit on host parameters.
_CHUNK = 900


class ArchiveError(Exception):
    """The archive cannot be opened or written (Vietnamese message)."""


def archive_path(settings) -> Path:
    """Where this run's archive is: ``NTM_LUU_TRU`` if set, else the settings' path."""
    text = os.environ.get(ENV_PATH) or settings.archive
    path = Path(text)
    return path if path.is_absolute() else REPO / path


def file_sha256(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file's content."""
    with open(path, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256")
    return digest.hexdigest(), path.stat().st_size


@dataclass(frozen=True)
class Submission:
    id: int
    unit_code: str
    period: str
    sha256: str
    file: str
    accepted_at: str


class Archive:
    """One open archive file; ``migrated_from`` is the schema version it had (0 = new)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit: every write goes through an explicit BEGIN … COMMIT.
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            # A run's values fit in memory: no page spills to disk in the middle of its transaction.
            self.conn.execute("PRAGMA cache_size = -131072")
            self.migrated_from = ensure_schema(self.conn)
        except ArchiveVersionError as exc:
            raise ArchiveError(str(exc)) from exc
        except (sqlite3.Error, OSError) as exc:
            raise ArchiveError(f"Không mở được kho lưu trữ {self.path} ({exc}). Kho có thể đang được "
                               "một lần chạy khác dùng, hoặc tệp bị hỏng: chép lại bản sao lưu.") from exc

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # Look-ups -----------------------------------------------------------------------------

    def first_seen(self, hashes: Iterable[str]) -> dict[str, datetime]:
        """When each known content was first seen (its received date)."""
        out: dict[str, datetime] = {}
        for part in _chunks(list(set(hashes))):
            sql = f"SELECT sha256, first_seen FROM files WHERE sha256 IN ({_marks(part)})"
            out.update((sha, datetime.fromisoformat(seen)) for sha, seen in self.conn.execute(sql, part))
        return out

    def current(self, period: str, units: Iterable[str] | None = None) -> dict[str, Submission]:
        """The current (not superseded) submission of each unit for ``period``."""
        sql = ("SELECT s.id, s.unit_code, s.period, f.sha256, f.name, s.accepted_at FROM submissions s "
               "JOIN files f ON f.id = s.file_id WHERE s.period = ? AND s.superseded_by IS NULL")
        subs = [Submission(*row) for row in self.conn.execute(sql, (period,))]
        wanted = None if units is None else set(units)
        return {s.unit_code: s for s in subs if wanted is None or s.unit_code in wanted}

    def values_of(self, submissions: Sequence[int]) -> pd.DataFrame:
        """The values of some submissions: submission_id, annex, row_code, column, cell, value."""
        rows: list[tuple] = []
        for part in _chunks(list(submissions)):
            rows += self.conn.execute(
                "SELECT v.submission_id, i.annex, i.row_code, i.col, v.cell, v.value FROM vals v "
                f"JOIN items i ON i.id = v.item_id WHERE v.submission_id IN ({_marks(part)})", part)
        return pd.DataFrame(rows, columns=["submission_id", "annex", "row_code", "column", "cell",
                                           "value"])

    def history(self, units: Iterable[str], periods: Iterable[str],
                keep: Callable[[str, str, str], bool] | None = None) -> pd.DataFrame:
        """Current values of ``units`` in ``periods``: unit_code, period, annex, row_code, column,
        value; only the items (annex, row code, column) ``keep`` accepts, if given. Reads only those
        submissions (index on unit and period) and, within each, those items (primary key); the
        rows come back as integer ids, named from the small submission and item tables."""
        periods = sorted(set(periods))
        columns = ["unit_code", "period", "annex", "row_code", "column", "value"]
        self._want_units(units)
        items = pd.DataFrame(self.conn.execute("SELECT id, annex, row_code, col FROM items").fetchall(),
                             columns=["id", "annex", "row_code", "column"])
        if keep is not None:
            items = items[[keep(a, r, c) for a, r, c in zip(items["annex"], items["row_code"],
                                                              items["column"])]]
        if not periods or items.empty:
            return pd.DataFrame(columns=columns)
        subs = pd.DataFrame(self.conn.execute(
            "SELECT s.id, s.unit_code, s.period FROM want_units w JOIN submissions s "
            f"ON s.unit_code = w.code AND s.period IN ({_marks(periods)}) AND s.superseded_by IS NULL",
            periods).fetchall(), columns=["id", "unit_code", "period"])
        if subs.empty:
            return pd.DataFrame(columns=columns)
        only = "" if keep is None else \
            f" AND item_id IN ({', '.join(map(str, items['id']))})"  # integers from the archive
        rows = []
        for part in _chunks(subs["id"].tolist()):
            rows += self.conn.execute(
                f"SELECT submission_id, item_id, value FROM vals WHERE submission_id IN "
                f"({_marks(part)}){only}", part).fetchall()
        found = pd.DataFrame(rows, columns=["submission_id", "item_id", "value"])
        sub_at = pd.Index(subs["id"]).get_indexer(found["submission_id"])
        item_at = pd.Index(items["id"]).get_indexer(found["item_id"])
        return pd.DataFrame({
            "unit_code": subs["unit_code"].to_numpy(dtype=object)[sub_at],
            "period": subs["period"].to_numpy(dtype=object)[sub_at],
            "annex": items["annex"].to_numpy(dtype=object)[item_at],
            "row_code": items["row_code"].to_numpy(dtype=object)[item_at],
            "column": items["column"].to_numpy(dtype=object)[item_at],
            "value": found["value"].to_numpy(dtype=object),
        }, columns=columns)

    def _want_units(self, units: Iterable[str]) -> None:
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS want_units (code TEXT PRIMARY KEY)")
        self.conn.execute("DELETE FROM want_units")
        self.conn.executemany("INSERT OR IGNORE INTO want_units VALUES (?)", [(u,) for u in units])

    def periods(self) -> list[str]:
        """Every period with a current submission."""
        return [p for (p,) in self.conn.execute(
            "SELECT DISTINCT period FROM submissions WHERE superseded_by IS NULL")]

    def figures(self, units: Iterable[str], items: Sequence[tuple[str, str, str]]) -> pd.DataFrame:
        """A few items (annex, row_code, column) of ``units`` in every period: unit_code, period,
        annex, row_code, column, value (the trend sheet's figures)."""
        self._want_units(units)
        ids = [i for key in items for (i,) in self.conn.execute(
            "SELECT id FROM items WHERE annex = ? AND row_code = ? AND col = ?", key)]
        rows: list[tuple] = []
        if ids:
            rows = self.conn.execute(
                "SELECT s.unit_code, s.period, i.annex, i.row_code, i.col, v.value FROM want_units w "
                "JOIN submissions s ON s.unit_code = w.code AND s.superseded_by IS NULL "
                f"JOIN vals v ON v.submission_id = s.id AND v.item_id IN ({_marks(ids)}) "
                "JOIN items i ON i.id = v.item_id", ids).fetchall()
        return pd.DataFrame(rows, columns=["unit_code", "period", "annex", "row_code", "column",
                                           "value"])

    # Recording ----------------------------------------------------------------------------

    def record(self, *, period: str, started: datetime, kind: str, settings: Mapping,
               files: Sequence[FileSeen], accepted: Sequence[Accepted], values: pd.DataFrame,
               now: datetime | None = None, tool_version: str = "") -> dict[str, int]:
        """Record a run in one transaction: the files seen, and per unit its accepted file and its
        values (``values``: unit_code, annex, row_code, column, cell, value; one frame for all).

        A unit whose current submission for the period is the same content changes nothing; a new
        content supersedes the current one (kept, with when and by which file). Returns counts.
        """
        now = (now or datetime.now()).replace(microsecond=0)
        stamp = now.isoformat(sep=" ")
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            run = conn.execute(
                "INSERT INTO runs (kind, period, started, settings, tool_version) VALUES (?, ?, ?, ?, ?)",
                (kind, period, started.isoformat(sep=" "), json.dumps(settings, ensure_ascii=False),
                 tool_version)).lastrowid
            conn.executemany(
                "INSERT OR IGNORE INTO files (sha256, name, size, first_seen, first_run) VALUES (?, ?, ?, ?, ?)",
                [(f.sha256, f.name, f.size, (f.seen or now).isoformat(sep=" "), run) for f in files])
            file_ids = self._ids("SELECT sha256, id FROM files WHERE sha256 IN", [a.sha256 for a in accepted])
            current = {s.unit_code: s for s in self.current(period).values()}
            counts = {"units_new": 0, "units_replaced": 0, "units_unchanged": 0, "values": 0}
            fresh: dict[str, int] = {}
            for a in accepted:
                old = current.get(a.unit_code)
                if old is not None and old.sha256 == a.sha256:
                    counts["units_unchanged"] += 1
                    continue
                new_file = file_ids[a.sha256]
                if old is not None:
                    conn.execute("UPDATE submissions SET superseded_by = ?, superseded_at = ? WHERE id = ?",
                                 (new_file, stamp, old.id))
                    counts["units_replaced"] += 1
                else:
                    counts["units_new"] += 1
                again = conn.execute("SELECT id FROM submissions WHERE unit_code = ? AND period = ? "
                                     "AND file_id = ?", (a.unit_code, period, new_file)).fetchone()
                if again:  # a content sent before, replaced, and now sent again: current again
                    conn.execute("UPDATE submissions SET superseded_by = NULL, superseded_at = NULL, "
                                 "run_id = ?, accepted_at = ? WHERE id = ?", (run, stamp, again[0]))
                    continue
                sub = conn.execute(
                    "INSERT INTO submissions (unit_code, period, file_id, run_id, accepted_at) "
                    "VALUES (?, ?, ?, ?, ?)", (a.unit_code, period, new_file, run, stamp)).lastrowid
                fresh[a.unit_code] = cast(int, sub)  # an INSERT always sets lastrowid
            if fresh:
                counts["values"] = self._insert_values(fresh, values)
            conn.execute("UPDATE runs SET finished = ?, counts = ? WHERE id = ?",
                         (datetime.now().replace(microsecond=0).isoformat(sep=" "),
                          json.dumps(counts), run))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return counts

    def _insert_values(self, fresh: Mapping[str, int], values: pd.DataFrame) -> int:
        """Insert the values of the new submissions (unit → submission id), sorted by
        (submission, item): appends to the table's B-tree instead of inserting in the middle."""
        units = values["unit_code"].to_numpy(dtype=object)
        codes_of, unique_units = pd.factorize(units)
        sub_of = np.array([fresh.get(u, -1) for u in unique_units] + [-1], dtype=np.int64)
        subs = sub_of[codes_of]
        mine = subs >= 0
        values, subs = values[mine], subs[mine]
        cols = [values[c].to_numpy(dtype=object) for c in ("annex", "row_code", "column")]
        combined = np.zeros(len(values), dtype=np.int64)
        for col in cols:  # one integer per (annex, row, column), from each part's codes
            part, uniques = pd.factorize(col)
            combined = combined * (len(uniques) + 1) + part
        _keys, first, codes = np.unique(combined, return_index=True, return_inverse=True)
        triples = [(str(cols[0][i]), str(cols[1][i]), str(cols[2][i])) for i in first.tolist()]
        self.conn.executemany("INSERT OR IGNORE INTO items (annex, row_code, col) VALUES (?, ?, ?)",
                              triples)
        known = {(a, r, c): i for i, a, r, c in self.conn.execute(
            "SELECT id, annex, row_code, col FROM items")}
        items = np.array([known[t] for t in triples], dtype=np.int64)[codes]
        order = np.lexsort((items, subs))
        cells = values["cell"].to_numpy(dtype=object)[order].tolist()
        plain = values["value"].to_numpy(dtype=object)[order].tolist()
        if not set(map(type, plain)) <= _STORABLE:
            plain = [_plain(v) for v in plain]
        self.conn.executemany("INSERT INTO vals (submission_id, item_id, cell, value) VALUES (?, ?, ?, ?)",
                              zip(subs[order].tolist(), items[order].tolist(), cells, plain))
        return len(values)

    def _ids(self, sql: str, keys: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for part in _chunks(list(set(keys))):
            out.update(self.conn.execute(f"{sql} ({_marks(part)})", part).fetchall())
        return out


@dataclass(frozen=True)
class FileSeen:
    sha256: str
    name: str
    size: int
    #: When it was received, if known better than "now" (an import of an earlier period).
    seen: datetime | None = None


@dataclass(frozen=True)
class Accepted:
    """One unit's accepted file for the period (its values are in the frame given with it)."""

    unit_code: str
    sha256: str


def used_values(cells: pd.DataFrame) -> np.ndarray:
    """Positions of the usable cells with a value: the same rule as values.csv."""
    value = cells["value"].to_numpy(dtype=object)
    keep = cells["usable"].to_numpy(dtype=bool, na_value=False) & ~pd.isna(value)
    keep[keep] = value[keep] != ""
    return np.flatnonzero(keep)


#: Value types SQLite stores as they are (numpy's float64 is a float).
_STORABLE = {str, float, int, type(None), np.float64}


def _plain(value: object) -> object:
    """A value SQLite stores as is: numpy scalars as Python numbers, anything else as text."""
    if isinstance(value, (str, int, float)) or value is None:
        return value
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _marks(items: Sequence) -> str:
    return ", ".join("?" * len(items))
