"""The command line a clerk uses: Vietnamese messages, exit codes, no traceback."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.console import SHORT_TABLE_UNITS, print_summary
from pipeline.core.states import UnitStatus

STATUS_OK, STATUS_WARN, STATUS_ERROR, STATUS_MISSING = (
    UnitStatus.OK, UnitStatus.WARN, UnitStatus.ERROR, UnitStatus.MISSING)


def test_init_unknown_district_is_a_clear_vietnamese_error(tmp_path, capsys):
    code = main(["--settings", str(tmp_path / "cai_dat.toml"), "init", "--district", "999",
                 "--period", "2024-H1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Không tìm thấy huyện" in err and "Traceback" not in err
    assert not (tmp_path / "cai_dat.toml").exists()


def test_init_then_templates_for_another_district(tmp_path, capsys):
    settings = tmp_path / "cai_dat.toml"
    assert main(["--settings", str(settings), "init", "--district", "397", "--period", "2024-Y"]) == 0
    out = tmp_path / "bieu_mau"
    assert main(["--settings", str(settings), "templates", "--out", str(out)]) == 0
    files = sorted((out / "2024-Y").glob("*.xlsx"))
    assert len(files) >= 2 and files[-1].name.startswith("BieuMau_NTM_2024-Y")
    assert "Đã tạo" in capsys.readouterr().out


def test_bad_period_is_refused(tmp_path, capsys):
    code = main(["consolidate", "--period", "2024-Q3", "--output", str(tmp_path)])
    assert code == 2
    assert "Lỗi" in capsys.readouterr().err


def test_consolidate_samples_prints_units_and_paths(tmp_path, capsys, samples):
    code = main(["consolidate", "--input", str(samples[0].parent), "--output", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Xã Thọ Thanh" in out and "Hợp lệ" in out
    assert str(tmp_path / "findings.csv") in out
    run = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert len(run["units"]) == 16 and run["period"] == "2024-H1"


def _broken_copy(samples, folder):
    from openpyxl import load_workbook

    from sheets import cell_at

    folder.mkdir()
    target = folder / samples[0].name
    book = load_workbook(samples[0])
    cell_at(book["Chỉ tiêu chủ yếu"], "9", "Thực hiện kỳ báo cáo").value = 150
    book.save(target)
    return folder


def test_strict_fails_on_a_loi_but_still_writes(tmp_path, capsys, samples):
    inp = _broken_copy(samples, tmp_path / "in")
    out = tmp_path / "out"
    assert main(["consolidate", "--input", str(inp), "--output", str(out)]) == 0
    assert main(["consolidate", "--input", str(inp), "--output", str(out), "--strict"]) == 1
    assert "--strict" in capsys.readouterr().err
    assert (out / "findings.csv").exists() and list(out.glob("TongHop_*.xlsx"))


def test_unreadable_settings_is_a_vietnamese_error(tmp_path, capsys):
    bad = tmp_path / "cai_dat.toml"
    bad.write_text('[ky_bao_cao]\nky = "2024-H1\n', encoding="utf-8")
    code = main(["--settings", str(bad), "consolidate", "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "Lỗi" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_failed_write_keeps_the_previous_output(tmp_path, samples, monkeypatch):
    out = tmp_path / "out"
    assert main(["consolidate", "--input", str(samples[0].parent), "--output", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    import pipeline.outputs.publish

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pipeline.outputs.publish, "write_summary", boom)
    assert main(["consolidate", "--input", str(samples[0].parent), "--output", str(out)]) == 3
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before, "a failed run must leave the last good output untouched"
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]


def _units(n: int, problems: dict[int, str]) -> pd.DataFrame:
    return pd.DataFrame([{
        "unit_code": f"{i:05d}", "unit_name": f"Xã Số {i}", "status": problems.get(i, STATUS_OK),
        "errors": int(problems.get(i) == STATUS_ERROR), "warnings": 0,
        "file": "" if problems.get(i) == STATUS_MISSING else f"{i:05d}.xlsx"} for i in range(n)])


@pytest.mark.parametrize("n, problems, listed", [
    (16, {3: STATUS_ERROR}, 16),                                   # a district: every unit
    (547, {5: STATUS_ERROR, 9: STATUS_MISSING, 400: STATUS_WARN}, 3),  # a province: the problems
    (547, {}, 0),
    (10040, {i: STATUS_MISSING for i in range(0, 10040, 7)}, SHORT_TABLE_UNITS),
])
def test_end_of_run_table_stays_short(capsys, n, problems, listed):
    result = SimpleNamespace(units=_units(n, problems),
                             outputs={"Báo cáo kiểm tra": "/x/output/KiemTra_Tinh_2024-H1.xlsx"})
    print_summary(result)
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if re.match(r"^\d{5} ", line)]
    assert len(rows) == listed
    shown = {line.split()[0] for line in rows}
    if n > SHORT_TABLE_UNITS:
        wanted = [f"{i:05d}" for i in sorted(problems)][:SHORT_TABLE_UNITS]
        assert shown == set(wanted)
        assert "KiemTra_Tinh_2024-H1.xlsx" in out
    tally = dict(re.findall(r"(Hợp lệ|Có lỗi|Có cảnh báo|Chưa nộp) ([\d.]+)", out.split("Tổng: ")[1]))
    assert sum(int(v.replace(".", "")) for v in tally.values()) == n
