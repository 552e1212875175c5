"""What a run prints at its end: a short table of units and their status, then where the outputs are."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.sample import SAMPLE_MESSAGE
from pipeline.core.states import UnitStatus
from pipeline.result import RunResult


#: Past this many units (a province, the country) the end-of-run table lists only the units that
#: need the clerk's attention; every unit is in the check report.
SHORT_TABLE_UNITS = 40


def print_summary(result: RunResult) -> None:
    units = result.units
    shown = units
    if len(units) > SHORT_TABLE_UNITS:
        shown = units[units["status"] != UnitStatus.OK].head(SHORT_TABLE_UNITS)
    width = max([len(n) for n in shown["unit_name"]] + [10])
    print()
    if len(shown):
        print(f"{'Mã':<6} {'Đơn vị':<{width}} {'Tình trạng':<12} {'Lỗi':>4} {'C.báo':>5}  File")
        for rec in shown.itertuples(index=False):
            print(f"{rec.unit_code:<6} {rec.unit_name:<{width}} {rec.status:<12} {rec.errors:>4} "
                  f"{rec.warnings:>5}  {rec.file}")
    if len(shown) < len(units):
        report = Path(result.outputs.get("Báo cáo kiểm tra", "báo cáo kiểm tra")).name
        left = _count(len(units) - len(shown))
        if not len(shown):
            said = f"Cả {_count(len(units))} đơn vị đều Hợp lệ"
        elif len(shown) == (units["status"] != UnitStatus.OK).sum():
            said = f"Có {_count(len(units))} đơn vị; {left} đơn vị còn lại đều Hợp lệ"
        else:
            said = (f"Có {_count(len(units))} đơn vị; ở trên là {len(shown)} đơn vị đầu tiên cần xem "
                    f"lại, {left} đơn vị khác không in ở đây")
        print(f"({said}. Danh sách đầy đủ ở trang Tình trạng của {report}.)")
    tally = units["status"].value_counts()
    print()
    print("Tổng: " + ", ".join(f"{k} {_count(v)}" for k, v in tally.items()))
    for label, path in result.outputs.items():
        print(f"{label}: {path}")
    if getattr(result, "used_samples", False):
        print()
        print(SAMPLE_MESSAGE)


def _count(n: int) -> str:
    """A count as Vietnamese write it: 10.040."""
    return f"{n:,}".replace(",", ".")
