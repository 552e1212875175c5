"""What a run prints at its end: a short table of units and their status, the files left aside,
where the outputs are, and what the clerk does next."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.archive.history import describe
from pipeline.config.period import Period, PeriodError
from pipeline.core.sample import SAMPLE_MESSAGE
from pipeline.core.states import FileState, UnitStatus
from pipeline.result import RunResult
from pipeline.text.numbers import vn_count

#: Past this many units (a province, the country) the end-of-run table lists only the units that
#: need the clerk's attention; every unit is in the check report.
SHORT_TABLE_UNITS = 40
#: Units named in the "next step" sentence before it says "và N xã khác".
NAMED_UNITS = 10

#: Column headings of the table (the counts are findings of each level).
HEADINGS = ("Mã", "Đơn vị", "Tình trạng", "Lỗi", "Cảnh báo", "Lưu ý", "Hạn nộp", "File")


def print_summary(result: RunResult) -> None:
    units = result.units
    shown = units
    if len(units) > SHORT_TABLE_UNITS:
        shown = units[units["status"] != UnitStatus.OK].head(SHORT_TABLE_UNITS)
    width = max([len(n) for n in shown["unit_name"]] + [10])
    print()
    if len(shown):
        h = HEADINGS
        print(f"{h[0]:<6} {h[1]:<{width}} {h[2]:<12} {h[3]:>4} {h[4]:>8} {h[5]:>6}  {h[6]:<9} {h[7]}")
        for rec in shown.itertuples(index=False):
            print(f"{rec.unit_code:<6} {rec.unit_name:<{width}} {rec.status:<12} {rec.errors:>4} "
                  f"{rec.warnings:>8} {_get(rec, 'infos', 0):>6}  {_on_time(rec):<9} {rec.file}")
    if len(shown) < len(units):
        report = Path(result.outputs.get("Báo cáo kiểm tra", "báo cáo kiểm tra")).name
        left = vn_count(len(units) - len(shown))
        if not len(shown):
            said = f"Cả {vn_count(len(units))} đơn vị đều Hợp lệ"
        elif len(shown) == (units["status"] != UnitStatus.OK).sum():
            said = f"Có {vn_count(len(units))} đơn vị; {left} đơn vị còn lại đều Hợp lệ"
        else:
            said = (f"Có {vn_count(len(units))} đơn vị; ở trên là {len(shown)} đơn vị đầu tiên cần "
                    f"xem lại, {left} đơn vị khác không in ở đây")
        print(f"({said}. Danh sách đầy đủ ở trang Tình trạng của {report}.)")
    skipped = [r for r in getattr(result, "files", []) if r.status == FileState.SKIPPED]
    if skipped:
        names = ", ".join(r.file for r in skipped[:NAMED_UNITS])
        more = f" và {vn_count(len(skipped) - NAMED_UNITS)} file khác" if len(skipped) > NAMED_UNITS else ""
        print(f"Bỏ qua {vn_count(len(skipped))} file không phải bảng tính của xã "
              f"(file Word, file khóa tạm ~$ của Excel…): {names}{more}.")
    print_changes(result)
    tally = units["status"].value_counts()
    print()
    print("Tổng: " + ", ".join(f"{k} {vn_count(v)}" for k, v in tally.items()) + _late(units))
    for label, path in result.outputs.items():
        print(f"{label}: {path}")
    archived = getattr(result, "archived", None)
    if archived:
        from pipeline.archive.store import archive_path

        print(f"Kho lưu trữ: {archive_path(result.settings)} ({result.period.label}: "
              f"{vn_count(archived['units_new'])} đơn vị mới, "
              f"{vn_count(archived['units_replaced'])} đơn vị thay số liệu cũ, "
              f"{vn_count(archived['units_unchanged'])} đơn vị không đổi)")
    print()
    for line in next_steps(result):
        print(line)
    if getattr(result, "used_samples", False):
        print()
        print(SAMPLE_MESSAGE)


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
        print(f"{unit} {names.get(unit, '')}: {vn_count(len(group))} ô thay đổi "
              f"({group['old_file'].iloc[0]} → {group['file'].iloc[0]})")
        for c in group.head(CHANGES_SHOWN).itertuples(index=False):
            print(f"    {c.sheet}!{c.cell}: {describe(c.old)} → {describe(c.new)}")
        if len(group) > CHANGES_SHOWN:
            print(f"    … và {vn_count(len(group) - CHANGES_SHOWN)} ô khác (xem trang Thay đổi của báo cáo kiểm tra)")


def next_steps(result: RunResult) -> list[str]:
    """The clerk's next step, in words."""
    units = result.units
    other = getattr(result, "other_period", None)
    if other:
        try:
            words = Period.parse(other).label
        except PeriodError:
            words = other
        return [f"Việc tiếp theo: kiểm tra lại kỳ báo cáo. Phần lớn các file là báo cáo {words}; "
                f"nếu cần tổng hợp kỳ đó, chạy lại với --period {other}."]
    steps = []
    feedback = getattr(result, "feedback", None) or {}
    folder = result.outputs.get("Bản phản hồi cho xã", "output/phan_hoi/")
    for status, what in ((UnitStatus.ERROR, "có lỗi"), (UnitStatus.WARN, "có cảnh báo")):
        group = units[units["status"] == status]
        if feedback:
            group = group[group["unit_code"].isin(feedback)]
        if len(group):
            steps.append(f"Gửi các file trong {folder} cho {vn_count(len(group))} đơn vị {what}: "
                         f"{_names(group)}.")
    missing = units[units["status"] == UnitStatus.MISSING]
    if len(missing):
        steps.append(f"Nhắc {vn_count(len(missing))} đơn vị chưa nộp: {_names(missing)}.")
    summary = result.outputs.get("Bảng tổng hợp")
    if not steps:
        return [f"Việc tiếp theo: tất cả đơn vị đều Hợp lệ; gửi bảng tổng hợp {summary} lên cấp trên."]
    return ["Việc tiếp theo:"] + [f"  - {s}" for s in steps]


def _names(group: pd.DataFrame) -> str:
    names = list(group["unit_name"])
    text = ", ".join(names[:NAMED_UNITS])
    return text + (f" và {vn_count(len(names) - NAMED_UNITS)} đơn vị khác"
                   if len(names) > NAMED_UNITS else "")


def _late(units: pd.DataFrame) -> str:
    if "on_time" not in units:
        return ""
    late = int((units["on_time"] == False).sum())  # noqa: E712 (None means no deadline)
    return f"; nộp trễ hạn {vn_count(late)}" if late else ""


def _on_time(rec) -> str:
    value = _get(rec, "on_time", None)
    if value is None or pd.isna(value):
        return ""
    return "đúng hạn" if value else "trễ hạn"


def _get(rec, name: str, default):
    return getattr(rec, name, default)
