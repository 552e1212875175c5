"""What a run prints at its end: a short table of units and their status, then where the outputs are."""

from __future__ import annotations

from pathlib import Path

from pipeline.archive.history import describe
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
    print_changes(result)
    tally = units["status"].value_counts()
    print()
    print("Tổng: " + ", ".join(f"{k} {_count(v)}" for k, v in tally.items()))
    for label, path in result.outputs.items():
        print(f"{label}: {path}")
    archived = getattr(result, "archived", None)
    if archived:
        from pipeline.archive.store import archive_path

        print(f"Kho lưu trữ: {archive_path(result.settings)} (kỳ {result.period}: "
              f"{archived['units_new']} đơn vị mới, {archived['units_replaced']} đơn vị thay số liệu cũ, "
              f"{archived['units_unchanged']} đơn vị không đổi)")


#: Changed cells printed per resubmitted unit; the check report lists them all.
CHANGES_SHOWN = 10


def print_changes(result: RunResult) -> None:
    """Units that sent a new file for a period already archived: what changed (cell, old → new)."""
    changes = getattr(result, "changes", None)  # a result without an archive has none
    if changes is None or not len(changes):
        return
    names = dict(zip(result.units["unit_code"], result.units["unit_name"]))
    print()
    print("Xã gửi lại file cho kỳ đã tổng hợp (so với file trước, đã lưu trong kho lưu trữ):")
    for unit, group in changes.groupby("unit_code", sort=True):
        print(f"{unit} {names.get(unit, '')}: {_count(len(group))} ô thay đổi "
              f"({group['old_file'].iloc[0]} → {group['file'].iloc[0]})")
        for c in group.head(CHANGES_SHOWN).itertuples(index=False):
            print(f"    {c.sheet}!{c.cell}: {describe(c.old)} → {describe(c.new)}")
        if len(group) > CHANGES_SHOWN:
            print(f"    … và {_count(len(group) - CHANGES_SHOWN)} ô khác (xem trang Thay đổi của báo cáo kiểm tra)")


def _count(n: int) -> str:
    """A count as Vietnamese write it: 10.040."""
    return f"{n:,}".replace(",", ".")
