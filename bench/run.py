"""`make bench`: time the real consolidation against a raw read floor and a naive baseline.

For each size (16 = a district, 547 = Thanh Hóa before 2025, 10,040 = the country) it builds the
synthetic workbooks once (bench/cache/), then measures in the same run, on the same files:
  - the pipeline end to end (``python -m pipeline consolidate``, interpreter start included), its
    per-stage seconds (from run.json) and peak memory (RSS of the process and its workers);
  - the raw read floor: python-calamine reading every sheet of every file to Python lists, nothing
    else, in parallel over the same number of processes as the pipeline;
  - a naive baseline: a plain ``pandas.read_excel(sheet_name=None)`` loop with openpyxl.
Ratios, not absolute seconds, are the figures to compare across machines.
  - the history archive: the run's archive step (hashing, look-ups, history checks and recording
    the period into an archive already holding ``--history-periods`` earlier half-years) and its
    share of the end-to-end time; ``bench/archive.py`` measures the
    archive alone at scale (insert per period, queries) for ``--archive-periods`` periods.
Usage: python bench/run.py [SIZE ...] [--baseline-max N] [--archive-periods P]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

MEASURE = r"""
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{code} {seconds:.3f} {peak:.0f}")
"""

FLOOR = r"""
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
import python_calamine

def read(path):
    book = python_calamine.CalamineWorkbook.from_path(path)
    return sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)

files = sorted(str(p) for p in Path(sys.argv[1]).glob("*.xlsx"))
workers = int(sys.argv[2])
start = time.perf_counter()
if workers > 1:
    with ProcessPoolExecutor(workers) as pool:
        rows = sum(pool.map(read, files, chunksize=max(1, len(files) // (workers * 8))))
else:
    rows = sum(map(read, files))
print(f"{time.perf_counter() - start:.3f} {rows}")
"""

NAIVE = r"""
import sys, time
from pathlib import Path
import pandas as pd
files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
start = time.perf_counter()
for f in files:
    pd.read_excel(f, sheet_name=None, engine="openpyxl")
print(f"{time.perf_counter() - start:.3f}")
"""


def _python(code: str, *args: str) -> str:
    return subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def _earlier_periods(path: Path, period: str, count: int) -> None:
    """Copy the archived ``period`` as the ``count`` half-years before it, then remove it."""
    import sqlite3

    from pipeline.config.period import Period

    p, earlier = Period.parse(period), []
    for _ in range(count):
        p = Period(p.year, 1) if p.half == 2 else Period(p.year - 1, 2)
        earlier.append(str(p))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for label in earlier:
        conn.execute("INSERT INTO submissions (unit_code, period, file_id, run_id, accepted_at) "
                     "SELECT unit_code, ?, file_id, run_id, accepted_at FROM submissions WHERE period = ?",
                     (label, period))
        conn.execute("INSERT INTO vals SELECT b.id, v.item_id, v.cell, v.value FROM vals v "
                     "JOIN submissions a ON a.id = v.submission_id AND a.period = ? "
                     "JOIN submissions b ON b.unit_code = a.unit_code AND b.period = ?", (period, label))
    # What each commune reported a year before is what its file types as "cùng kỳ năm trước" (the
    # synthetic figures are random: otherwise every commune would get that Cảnh báo).
    conn.execute(
        "UPDATE vals SET value = COALESCE((SELECT c.value FROM vals c JOIN items ci ON ci.id = c.item_id "
        "JOIN items ti ON ti.id = vals.item_id JOIN submissions a ON a.period = ? "
        "JOIN submissions b ON b.id = vals.submission_id AND b.unit_code = a.unit_code "
        "WHERE c.submission_id = a.id AND ci.annex = 'PB08' AND ci.col = 'cung_ky' "
        "AND ci.row_code = ti.row_code), vals.value) "
        "WHERE submission_id IN (SELECT id FROM submissions WHERE period = ?) "
        "AND item_id IN (SELECT id FROM items WHERE annex = 'PB08' AND col = 'thuc_hien')",
        (period, str(Period.parse(period).previous_year_same())))
    conn.execute("DELETE FROM vals WHERE submission_id IN (SELECT id FROM submissions WHERE period = ?)",
                 (period,))
    conn.execute("DELETE FROM submissions WHERE period = ?", (period,))
    conn.execute("COMMIT")
    conn.close()


def measure(size: int, baseline_max: int, history_periods: int = 0) -> dict:
    from synthetic import build

    from pipeline.config.settings import load_settings, write_settings

    folder, settings = build(size, load_settings())
    settings_file = folder.parent / f"settings_{size}.toml"
    write_settings(settings, settings_file)
    out = OUT / f"run_{size}"
    workers = os.cpu_count() or 1
    # A fresh history archive per size: the run's archive step is a period's first recording.
    archive = OUT / f"luu_tru_{size}.sqlite"
    archive.unlink(missing_ok=True)
    os.environ["NTM_LUU_TRU"] = str(archive)
    if history_periods:  # the run's period is recorded into an archive holding earlier ones
        subprocess.run([sys.executable, "-m", "pipeline", "--settings", str(settings_file), "consolidate",
                        "--input", str(folder), "--output", str(out)], check=True, capture_output=True)
        _earlier_periods(archive, str(settings.period), history_periods)
    code, seconds, peak = _python(
        MEASURE, sys.executable, "-m", "pipeline", "--settings", str(settings_file), "consolidate",
        "--input", str(folder), "--output", str(out)).split()
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    floor = float(_python(FLOOR, str(folder), str(workers)).split()[0])
    floor_serial = float(_python(FLOOR, str(folder), "1").split()[0])
    naive = float(_python(NAIVE, str(folder))) if size <= baseline_max else None
    stages = run["timings_seconds"]
    intake = stages["discover"] + stages["read"] + stages["normalize"]
    return {
        "files": size, "exit_code": int(code), "end_to_end_s": float(seconds),
        "peak_rss_mb": float(peak), "stages_s": stages, "workers": workers,
        "worker_cpu_s": run.get("worker_cpu_seconds", {}),
        "archive_s": stages.get("archive", 0.0),
        "archive_share": stages.get("archive", 0.0) / float(seconds),
        "archive_mb": archive.stat().st_size / 2**20 if archive.exists() else 0.0,
        "history_periods": history_periods,
        "read_floor_s": floor, "read_floor_serial_s": floor_serial, "naive_baseline_s": naive,
        "intake_over_floor": intake / floor,
        "end_to_end_over_floor": float(seconds) / floor,
        "naive_over_end_to_end": naive / float(seconds) if naive else None,
        # Like for like: the naive loop only reads, so does intake (discover, read, normalize).
        "naive_over_intake": naive / intake if naive else None,
    }


def _table(results: list[dict]) -> str:
    lines = ["| files | end to end (s) | peak RSS (MB) | read floor (s) | intake / floor | "
             "end to end / floor | naive / intake | naive / end to end | archive (s, share) | stages (s) |",
             "|" + "---|" * 10]
    for r in results:
        stages = ", ".join(f"{k} {v:.1f}" for k, v in r["stages_s"].items())
        naive = f"{r['naive_over_end_to_end']:.1f}×" if r["naive_over_end_to_end"] else "not run"
        naive_intake = f"{r['naive_over_intake']:.1f}×" if r.get("naive_over_intake") else "not run"
        lines.append(f"| {r['files']:,} | {r['end_to_end_s']:.1f} | {r['peak_rss_mb']:.0f} | "
                     f"{r['read_floor_s']:.1f} | {r['intake_over_floor']:.2f} | "
                     f"{r['end_to_end_over_floor']:.1f} | {naive_intake} | {naive} | "
                     f"{r['archive_s']:.2f} ({r['archive_share']:.0%}) | {stages} |")
    return "\n".join(lines)


def _python_file(path: Path, *args: str) -> str:
    return subprocess.run([sys.executable, str(path), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def _archive_table(rows: list[dict]) -> str:
    lines = ["| units | periods | values a period | insert a period (s) | file (MB) | history, 16 units (s) | "
             "history, all units, 8 periods (s) | the same, items checked (s) | values of a period (s) |",
             "|" + "---|" * 9]
    for r in rows:
        inserts = r["insert_s_per_period"]
        lines.append(f"| {r['units']:,} | {r['periods']} | {r['values_per_period']:,} | "
                     f"{min(inserts):.2f}–{max(inserts):.2f} | {r['file_mb']:.0f} | "
                     f"{r['history_16_units_s']:.2f} | {r['history_all_units_8_periods_s']:.2f} | "
                     f"{r['history_checked_all_units_8_periods_s']:.2f} | "
                     f"{r['values_of_one_period_s']:.2f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[16, 547, 10040])
    parser.add_argument("--baseline-max", type=int, default=547,
                        help="largest size for the naive baseline (10,040 would take ~15 min)")
    parser.add_argument("--history-periods", type=int, default=8,
                        help="earlier half-years in the archive when the measured run records its own")
    parser.add_argument("--archive-periods", type=int, default=4,
                        help="periods recorded by the archive scale measure (0: skip it)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes:
        print(f"… {size} workbooks", file=sys.stderr, flush=True)
        results.append(measure(size, args.baseline_max, args.history_periods))
    table = _table(results)
    scale = []
    for size in args.sizes if args.archive_periods else ():
        print(f"… archive: {size} units × {args.archive_periods} periods", file=sys.stderr, flush=True)
        scale.append(json.loads(_python_file(HERE / "archive.py", str(size), str(args.archive_periods))))
    table += "\n\n" + _archive_table(scale) if scale else ""
    stamp = time.strftime("%Y-%m-%d %H:%M")
    (OUT / "results.json").write_text(json.dumps({"runs": results, "archive": scale}, indent=2),
                                      encoding="utf-8")
    (OUT / "results.md").write_text(f"# make bench, {stamp}\n\n{table}\n", encoding="utf-8")
    print(table)
    print(f"\nWritten: {OUT / 'results.json'}, {OUT / 'results.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
