"""The archive at scale: insert and query cost with N units × ~610 values × P periods.

Each unit's values are those of a bundled sample workbook (the 16 of Thường Xuân, in turn), read by
the real run; periods are recorded one by one through ``Archive.record`` (one transaction each, as
a consolidate run does). Then the queries a run makes are timed: the earlier periods of a district
(16 units) and of every unit (all values, and the items the history checks read), a period's
current submissions, and the values of every unit of a period (the resubmission diff when all
units resend).
Usage: python bench/archive.py UNITS PERIODS [--keep PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _sample_frames() -> list:
    from pipeline.archive.store import used_values
    from pipeline.config.paths import SAMPLES_DIR
    from pipeline.config.settings import load_settings
    from pipeline.run import run_checks

    settings = load_settings()
    result = run_checks(settings, settings.period, SAMPLES_DIR / str(settings.period), quiet=True)
    values = result.cells.iloc[used_values(result.cells)]
    return [g[["annex", "row_code", "column", "cell", "value"]].reset_index(drop=True)
            for _u, g in values.groupby("unit_code")]


def _period(i: int) -> str:
    return f"{2010 + i // 2}-H{i % 2 + 1}"


def scale(units: int, periods: int, path: Path) -> dict:
    import pandas as pd

    from pipeline.archive.history import PLAUSIBILITY
    from pipeline.archive.store import Accepted, Archive, FileSeen

    keep = lambda annex, _row, column: PLAUSIBILITY.get(annex) == column  # noqa: E731 (as the checks)
    frames = _sample_frames()
    codes = [f"{i:05d}" for i in range(units)]
    inserts = []
    with Archive(path) as archive:
        for p in range(periods):
            period = _period(p)
            files = [FileSeen(f"{period}-{c}", f"{c}.xlsx", 60_000) for c in codes]
            accepted = [Accepted(c, f"{period}-{c}") for c in codes]
            values = pd.concat([frames[i % len(frames)].assign(unit_code=c) for i, c in enumerate(codes)],
                               ignore_index=True)
            start = time.perf_counter()
            counts = archive.record(period=period, started=datetime.now(), kind="bench", settings={},
                                    files=files, accepted=accepted, values=values)
            inserts.append(time.perf_counter() - start)
        last = _period(periods - 1)
        timings = {}
        for name, call in {
            "history_16_units_s": lambda: archive.history(codes[:16], archive.periods()),
            "history_all_units_8_periods_s": lambda: archive.history(codes, archive.periods()[-8:]),
            "history_checked_all_units_8_periods_s":
                lambda: archive.history(codes, archive.periods()[-8:], keep=keep),
            "current_one_period_s": lambda: archive.current(last),
            "values_of_one_period_s": lambda: archive.values_of([s.id for s in archive.current(last).values()]),
        }.items():
            start = time.perf_counter()
            rows = len(call())
            timings[name] = round(time.perf_counter() - start, 3)
            timings[name.replace("_s", "_rows")] = rows
    return {"units": units, "periods": periods, "values_per_period": counts["values"],
            "rows": counts["values"] * periods, "insert_s_per_period": [round(s, 3) for s in inserts],
            "file_mb": round(path.stat().st_size / 2**20, 1), **timings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("units", type=int)
    parser.add_argument("periods", type=int)
    parser.add_argument("--keep", type=Path, default=None, help="write the archive here (kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.sqlite"
        print(json.dumps(scale(args.units, args.periods, path)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
