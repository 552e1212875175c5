"""Received dates typed by hand: ``ngay_nhan.csv`` in the archive's folder (optional).

Columns ``ma_don_vi, ky, ngay_nhan, ghi_chu`` (UTF-8, Excel opens and saves it); the date as
"15/06/2024" or "2024-06-15". A row overrides the received date the archive knows (the first time
a run saw the file's content) for that unit and period.
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

from pipeline.config.settings import parse_date

FILE_NAME = "ngay_nhan.csv"
COLUMNS = ("ma_don_vi", "ky", "ngay_nhan", "ghi_chu")


def dates_by_hand(folder: Path, period: str) -> dict[str, date]:
    """Unit code → date typed for ``period``; a bad line is reported on stderr and skipped."""
    path = Path(folder) / FILE_NAME
    if not path.is_file():
        return {}
    out: dict[str, date] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            unit = (row.get("ma_don_vi") or "").strip()
            if not unit or (row.get("ky") or "").strip().upper() != period.upper():
                continue
            try:
                when = parse_date(row.get("ngay_nhan"))
            except ValueError as exc:
                print(f"Cảnh báo: {path.name} dòng {line}: {exc} Dòng này bị bỏ qua.", file=sys.stderr)
                continue
            if when is not None:
                out[unit.zfill(5)] = when
    return out


def write_template(folder: Path) -> Path:
    """An empty ``ngay_nhan.csv`` with its header, if there is none yet."""
    path = Path(folder) / FILE_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(",".join(COLUMNS) + "\n", encoding="utf-8-sig")
    return path
