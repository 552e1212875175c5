"""The history archive through the CLI: several periods, resubmissions, received dates, history
checks, import-history, an archive of the previous schema, and a run killed half-way.

Workbooks are written by the real template code (``write_workbook``) with the bundled sample data,
changed where a test needs it, for a few units of Thường Xuân and any period.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from corpus import cell_at as cell_of

from pipeline.annexes import load_annexes
from pipeline.archive.received import FILE_NAME as BY_HAND
from pipeline.archive.schema import SCHEMA_VERSION, create_v1
from pipeline.cli import main
from pipeline.config.period import Period
from pipeline.forms.generate import context, unit_file_name
from pipeline.forms.samples import sample_data
from pipeline.forms.template import write_workbook
from pipeline.text.numbers import vn_number

THO_THANH, BAT_MOT, YEN_NHAN = "15652", "15607", "15610"
UNITS = (THO_THANH, BAT_MOT, YEN_NHAN)
REPO = Path(__file__).resolve().parent.parent


def write_period(settings, folder: Path, period: str, tweak=None, units=UNITS) -> dict[str, Path]:
    """Filled workbooks of ``units`` for ``period``; ``tweak(code, data)`` edits the data first."""
    annexes = load_annexes()
    ctx_settings = dataclasses.replace(settings, period=Period.parse(period))
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for unit in settings.registry.units:
        if unit.code not in units:
            continue
        data = sample_data(unit, annexes, settings.region)
        if tweak:
            tweak(unit.code, data)
        out[unit.code] = write_workbook(folder / unit_file_name(unit, period), annexes,
                                        context(ctx_settings, unit), data)
    return out


def consolidate(inp: Path, out: Path, period: str) -> int:
    return main(["consolidate", "--input", str(inp), "--output", str(out), "--period", period])


def findings(out: Path) -> list[dict]:
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def run_units(out: Path) -> dict[str, dict]:
    return {u["unit_code"]: u for u in json.loads((out / "run.json").read_text("utf-8"))["units"]}


def _values(out: Path) -> list[dict]:
    with open(out / "values.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _trend_rows(out: Path) -> list[dict]:
    """The trend sheet's data rows, by header title (cached values written with the formulas)."""
    ws = openpyxl.load_workbook(next(out.glob("TongHop_*.xlsx")))["Xu hướng"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    return _block(rows, "Mã kỳ")


def _block(rows: list[list], title: str) -> list[dict]:
    """The numbered data rows under the header row holding ``title``, up to the first other row."""
    head = next(i for i, r in enumerate(rows) if title in r)
    out = []
    for r in rows[head + 1:]:
        if not isinstance(r[0], (int, float)):
            break
        out.append(dict(zip(rows[head], r)))
    return out


def _comparison_rows(out: Path) -> list[dict]:
    ws = openpyxl.load_workbook(next(out.glob("TongHop_*.xlsx")))["Xu hướng"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    return _block(rows, "Chỉ tiêu")


def snapshot(path: Path) -> dict[str, list]:
    """Everything the archive holds but the run log."""
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("files", "items", "submissions", "vals")}


def pb08(code: str, column: str, value):
    def tweak(unit: str, data: dict) -> None:
        if unit == THO_THANH:
            data["PB08"].setdefault(code, {})[column] = value
    return tweak


def test_periods_resubmission_and_received_dates(settings, tmp_path, fresh_archive, capsys):
    # 2023-H1: Thọ Thanh held 5 meetings.
    files = write_period(settings, tmp_path / "2023", "2023-H1", pb08("1", "thuc_hien", 5))
    assert consolidate(tmp_path / "2023", tmp_path / "out23", "2023-H1") == 0
    assert fresh_archive.is_file() and not (tmp_path / "out23" / "luu_tru").exists()

    # 2024-H1: the commune types 6 as "cùng kỳ năm trước": a Cảnh báo naming both figures.
    files = write_period(settings, tmp_path / "2024", "2024-H1", pb08("1", "cung_ky", 6))
    old = datetime(2020, 1, 1).timestamp()
    for path in files.values():  # a saved e-mail attachment: its mtime says nothing
        os.utime(path, (old, old))
    out = tmp_path / "out24"
    assert consolidate(tmp_path / "2024", out, "2024-H1") == 0
    # (The synthetic communes' "cùng kỳ" figures are random, so they differ too: only Thọ Thanh's
    # figures are known here.)
    hits = [f for f in findings(out) if f["code"] == "history-last-year-differs"
            and f["unit_code"] == THO_THANH]
    cell = cell_of(files[THO_THANH], "Chỉ tiêu chủ yếu", "1", "Cùng kỳ năm trước")
    assert [(f["unit_code"], f["cell"], f["level"]) for f in hits] == [(THO_THANH, cell, "Cảnh báo")]
    assert "6" in hits[0]["message"] and "5 (báo cáo 6 tháng đầu năm 2023)" in hits[0]["message"]
    # The summary's trend sheet: 2023-H1 from the archive, 2024-H1 from this run.
    trend = _trend_rows(out)
    assert [r["Mã kỳ"] for r in trend] == ["2023-H1", "2024-H1"]
    for row, run_out in zip(trend, (tmp_path / "out23", out)):
        values = _values(run_out)
        funds = [float(v["value"]) for v in values
                 if (v["annex"], v["row_code"], v["column"]) == ("PB04", "TONG", "thuc_hien")]
        met = [float(v["value"]) for v in values
               if (v["annex"], v["row_code"], v["column"]) == ("PB01", "SO_TC_DAT", "danh_gia")]
        assert row["Số xã có số liệu"] == 3
        assert row["Vốn huy động trong kỳ (triệu đồng)"] == pytest.approx(sum(funds))
        assert row["Bình quân số tiêu chí NTM đạt/xã"] == pytest.approx(sum(met) / len(met))
    # Below it, PB08 against the same period last year: what the communes reported then.
    compared = _comparison_rows(out)
    meetings = next(r for r in compared if str(r["Chỉ tiêu"]).startswith("Số cuộc họp"))
    def meetings_in(run_out):
        return sum(float(v["value"]) for v in _values(run_out)
                   if (v["annex"], v["row_code"], v["column"]) == ("PB08", "1", "thuc_hien"))
    assert meetings["6 tháng đầu năm 2024"] == meetings_in(out)
    assert meetings["Cùng kỳ năm trước (6 tháng đầu năm 2023)"] == meetings_in(tmp_path / "out23")
    assert meetings["Kỳ trước (6 tháng cuối năm 2023)"] is None  # not in the archive
    assert meetings["Nguồn số cùng kỳ"] == "3/3 xã từ kho lưu trữ"
    first = run_units(out)
    received = datetime.fromisoformat(first[THO_THANH]["received"])
    assert received.year >= 2025 and first[THO_THANH]["on_time"] is False  # not the 2020 mtime

    # The same files again: the archive does not change, the received dates stay.
    before = snapshot(fresh_archive)
    capsys.readouterr()
    assert consolidate(tmp_path / "2024", out, "2024-H1") == 0
    assert snapshot(fresh_archive) == before
    assert "gửi lại file" not in capsys.readouterr().out
    assert {u: r["received"] for u, r in run_units(out).items()} == \
           {u: r["received"] for u, r in first.items()}

    # Thọ Thanh sends a corrected file: 9 meetings instead of 7.
    files = write_period(settings, tmp_path / "2024", "2024-H1", lambda u, d: (
        pb08("1", "cung_ky", 6)(u, d), pb08("1", "thuc_hien", 9)(u, d)), units=(THO_THANH,))
    done = cell_of(files[THO_THANH], "Chỉ tiêu chủ yếu", "1", "Thực hiện kỳ báo cáo")
    assert consolidate(tmp_path / "2024", out, "2024-H1") == 0
    printed = capsys.readouterr().out
    assert f"{THO_THANH} Xã Thọ Thanh: 1 ô thay đổi" in printed
    assert f"Chỉ tiêu chủ yếu!{done}: 7 → 9" in printed
    report = openpyxl.load_workbook(next(out.glob("KiemTra_*.xlsx")))
    rows = [[c.value for c in r] for r in report["Thay đổi so với lần nộp trước"].iter_rows(min_row=5)]
    assert [(r[0], r[4], r[5], r[6], r[7]) for r in rows] == \
           [(THO_THANH, "Chỉ tiêu chủ yếu", done, "7", "9")]
    with sqlite3.connect(fresh_archive) as conn:
        kept = conn.execute(
            "SELECT value, superseded_by IS NOT NULL, superseded_at IS NOT NULL FROM v_values "
            "WHERE unit_code = ? AND period = '2024-H1' AND annex = 'PB08' AND row_code = '1' "
            "AND \"column\" = 'thuc_hien' ORDER BY superseded_at IS NULL", (THO_THANH,)).fetchall()
        assert kept == [(7, 1, 1), (9, 0, 0)]  # the replaced value stays readable
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    units = run_units(out)
    assert units[BAT_MOT]["received"] == first[BAT_MOT]["received"]
    assert units[THO_THANH]["received"] > first[THO_THANH]["received"]


def test_received_date_typed_by_hand(settings, tmp_path, fresh_archive):
    write_period(settings, tmp_path / "in", "2024-H1")
    fresh_archive.parent.mkdir(parents=True)
    (fresh_archive.parent / BY_HAND).write_text(
        "ma_don_vi,ky,ngay_nhan,ghi_chu\n15652,2024-H1,10/06/2024,nhận qua e-mail\n"
        "15607,2023-H2,01/01/2024,kỳ khác\n", encoding="utf-8-sig")
    out = tmp_path / "out"
    assert consolidate(tmp_path / "in", out, "2024-H1") == 0
    units = run_units(out)
    assert units[THO_THANH]["received"].startswith("2024-06-10") and units[THO_THANH]["on_time"] is True
    assert not units[BAT_MOT]["received"].startswith("2024-01-01") and units[BAT_MOT]["on_time"] is False


def test_outlier_and_criterion_lost_after_import_history(settings, tmp_path, fresh_archive, capsys):
    # One run's values.csv imported as four earlier H1 periods: 800 attendees each time.
    write_period(settings, tmp_path / "base", "2024-H1")
    with_run = tmp_path / "base_out"
    assert consolidate(tmp_path / "base", with_run, "2024-H1") == 0
    fresh_archive.unlink()  # start over: history only from the imports
    for year in range(2020, 2024):
        assert main(["import-history", str(with_run / "values.csv"), "--period", f"{year}-H1"]) == 0
    summary = next(with_run.glob("TongHop_*.xlsx"))
    assert main(["import-history", str(summary), "--period", "2023-H2"]) == 0
    printed = capsys.readouterr().out
    assert "kỳ 2023-H2, 3 đơn vị mới" in printed
    with sqlite3.connect(fresh_archive) as conn:
        assert conn.execute("SELECT period, COUNT(*) FROM submissions GROUP BY period").fetchall() == \
               [(f"{y}-H1", 3) for y in range(2020, 2024)] + [("2023-H2", 3)]

    def tweak(unit: str, data: dict) -> None:
        if unit == THO_THANH:
            data["PB08"]["2"]["thuc_hien"] = 8000  # a zero too many
            data["PB01"]["1.1"]["danh_gia"] = "Chưa đạt"  # criterion 1 lost
    files = write_period(settings, tmp_path / "in", "2024-H1", tweak)
    out = tmp_path / "out"
    assert consolidate(tmp_path / "in", out, "2024-H1") == 0
    found = findings(out)
    outlier = [f for f in found if f["code"] == "history-outlier"]
    cell = cell_of(files[THO_THANH], "Chỉ tiêu chủ yếu", "2", "Thực hiện kỳ báo cáo")
    assert [(f["unit_code"], f["cell"], f["level"]) for f in outlier] == [(THO_THANH, cell, "Cảnh báo")]
    # Four identical earlier values: the range is ±10 % of them (the documented floor).
    assert f"{vn_number(800 * 0.9)} – {vn_number(800 * 1.1)}" in outlier[0]["message"]
    assert vn_number(8000) in outlier[0]["message"]
    lost = [f for f in found if f["code"] == "history-criterion-lost"]
    criterion = cell_of(files[THO_THANH], "Tiêu chí NTM", "1", "Đánh giá kỳ báo cáo")
    assert [(f["unit_code"], f["cell"], f["level"]) for f in lost] == [(THO_THANH, criterion, "Lưu ý")]
    # The summary's detail sheet lists typed cells only (no computed criterion rows), so the last
    # period with criterion 1 assessed is 2023-H1.
    assert "6 tháng đầu năm 2023" in lost[0]["message"]


def _build_v1(path: Path, values_csv: Path, period: str) -> int:
    """An archive as version 1 of the tool wrote it, holding one period from a values.csv."""
    conn = sqlite3.connect(path, isolation_level=None)
    create_v1(conn)
    with open(values_csv, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    conn.execute("BEGIN")
    conn.execute("INSERT INTO runs VALUES (1, ?, '2023-06-20 08:00:00', '{}', '{}')", (period,))
    for name in {r["file"] for r in rows}:
        conn.execute("INSERT INTO files VALUES (?, ?, '2023-06-20 08:00:00')", (f"sha-{name}", name))
    conn.executemany("INSERT INTO vals VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)", [
        (r["unit_code"], period, r["annex"], r["row_code"], r["column"],
         float(r["value"]) if r["value"].replace(".", "", 1).isdigit() else r["value"],
         f"sha-{r['file']}", r["cell"]) for r in rows])
    conn.execute("COMMIT")
    conn.close()
    return len(rows)


def test_archive_of_the_previous_schema_is_migrated(settings, tmp_path, fresh_archive, monkeypatch):
    write_period(settings, tmp_path / "2023", "2023-H1", pb08("1", "thuc_hien", 5))
    scratch = tmp_path / "scratch.sqlite"
    monkeypatch.setenv("NTM_LUU_TRU", str(scratch))
    assert consolidate(tmp_path / "2023", tmp_path / "out23", "2023-H1") == 0
    monkeypatch.setenv("NTM_LUU_TRU", str(fresh_archive))
    fresh_archive.parent.mkdir(parents=True)
    count = _build_v1(fresh_archive, tmp_path / "out23" / "values.csv", "2023-H1")

    write_period(settings, tmp_path / "2024", "2024-H1", pb08("1", "cung_ky", 6))
    out = tmp_path / "out24"
    assert consolidate(tmp_path / "2024", out, "2024-H1") == 0
    with sqlite3.connect(fresh_archive) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT COUNT(*) FROM v_values WHERE period = '2023-H1'").fetchone()[0] == count
        assert conn.execute("SELECT first_seen FROM files WHERE name LIKE '15652%2023-H1.xlsx'"
                            ).fetchone()[0] == "2023-06-20 08:00:00"
        assert conn.execute("SELECT COUNT(*) FROM submissions WHERE period = '2024-H1'").fetchone()[0] == 3
    hits = [f for f in findings(out) if f["code"] == "history-last-year-differs"
            and f["unit_code"] == THO_THANH]
    assert len(hits) == 1 and "5 (báo cáo" in hits[0]["message"]


KILL_SCRIPT = """
import os, signal, sys
from pipeline.archive import store
original = store.Archive._insert_values
def killed(self, *args):
    original(self, *args)           # half-way: the values are in, the transaction is not committed
    os.kill(os.getpid(), signal.SIGKILL)
store.Archive._insert_values = killed
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_run_killed_half_way_leaves_the_archive_as_it_was(settings, tmp_path, fresh_archive):
    write_period(settings, tmp_path / "in", "2024-H1")
    assert consolidate(tmp_path / "in", tmp_path / "out", "2024-H1") == 0
    before = snapshot(fresh_archive)
    with sqlite3.connect(fresh_archive) as conn:
        runs = conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    write_period(settings, tmp_path / "in", "2024-H1", pb08("1", "thuc_hien", 9), units=(THO_THANH,))
    args = ["consolidate", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"),
            "--period", "2024-H1"]
    done = subprocess.run([sys.executable, "-c", KILL_SCRIPT, *args], cwd=REPO, capture_output=True,
                          env={**os.environ, "NTM_LUU_TRU": str(fresh_archive)}, timeout=300)
    assert done.returncode == -signal.SIGKILL
    assert snapshot(fresh_archive) == before
    with sqlite3.connect(fresh_archive) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == runs
    # An error half-way (not a kill): the run stops with a message, the archive is as it was.
    from pipeline.archive import store

    def failing(self, *args):
        raise sqlite3.OperationalError("disk I/O error")
    original = store.Archive._insert_values
    store.Archive._insert_values = failing
    try:
        assert consolidate(tmp_path / "in", tmp_path / "out", "2024-H1") == 3
    finally:
        store.Archive._insert_values = original
    assert snapshot(fresh_archive) == before
    # The next run records the correction.
    assert consolidate(tmp_path / "in", tmp_path / "out", "2024-H1") == 0
    assert snapshot(fresh_archive) != before


def test_archive_path_from_settings_is_beside_output(settings):
    from pipeline.archive.store import archive_path
    from pipeline.config.paths import OUTPUT_DIR

    env = os.environ.pop("NTM_LUU_TRU")
    try:
        path = archive_path(settings)
    finally:
        os.environ["NTM_LUU_TRU"] = env
    assert path == REPO / "luu_tru" / "ntm.sqlite"
    assert OUTPUT_DIR not in path.parents and path.parent.parent == OUTPUT_DIR.parent
    make_clean = next(line for line in (REPO / "Makefile").read_text().splitlines()
                      if line.startswith("\trm -rf"))
    assert "luu_tru" not in make_clean


def test_templates_for_a_new_period_are_prefilled_from_the_archive(settings, tmp_path, fresh_archive, capsys):
    def tweak(unit: str, data: dict) -> None:
        if unit == THO_THANH:
            data["PB01"]["1.1"].update(ket_qua="Đã phê duyệt quy hoạch chung", danh_gia="Đạt")
            data["PB03"][0]["nam_kieu_mau"] = 2023
    write_period(settings, tmp_path / "2023", "2023-H2", tweak)
    assert consolidate(tmp_path / "2023", tmp_path / "out23", "2023-H2") == 0
    capsys.readouterr()
    assert main(["templates", "--out", str(tmp_path / "bieu_mau")]) == 0  # settings: 2024-H1
    assert "3 biểu mẫu được điền sẵn" in capsys.readouterr().out
    folder = tmp_path / "bieu_mau" / "2024-H1"
    path = next(folder.glob("15652_*.xlsx"))
    book = openpyxl.load_workbook(path)
    result = book["Tiêu chí NTM"][cell_of(path, "Tiêu chí NTM", "1.1", "Kết quả đến 31/12 năm trước")]
    assessed = book["Tiêu chí NTM"][cell_of(path, "Tiêu chí NTM", "1.1", "Đánh giá đến 31/12 năm trước")]
    assert result.value == "Đã phê duyệt quy hoạch chung" and assessed.value == "Đạt"
    assert "6 tháng cuối năm 2023" in result.comment.text
    assert not result.protection.locked  # still the commune's to edit
    assert book["Tiêu chí NTM"][cell_of(path, "Tiêu chí NTM", "1.1", "Kết quả kỳ báo cáo")].value is None
    villages = book["Thôn NTM kiểu mẫu"]
    first = [c.value for c in villages[9]]
    assert first[0] == "Thôn 1" and 2023 in first and villages.cell(9, 1).comment is not None
    # A unit the archive does not know gets the plain template.
    plain = openpyxl.load_workbook(next(folder.glob("15619_*.xlsx")))["Tiêu chí NTM"]
    assert all(c.comment is None for row in plain.iter_rows() for c in row)
