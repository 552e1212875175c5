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


#: argparse's own English words: none may reach the clerk.
ENGLISH = re.compile(r"usage|positional arguments|options:|show this|help message|error:|"
                     r"unrecognized|required|invalid choice|expected|one of the arguments|"
                     r"not allowed|ambiguous|argument|choose from|version number|\bexit\b", re.I)


def _run(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    out = capsys.readouterr()
    return stop.value.code, out.out + out.err


@pytest.mark.parametrize("command", ["", "templates", "samples", "consolidate", "init", "tim-huyen"])
def test_every_help_is_vietnamese(command, capsys):
    code, text = _run(([command] if command else []) + ["-h"], capsys)
    assert code == 0
    assert text.startswith("Cách dùng: python -m pipeline")
    assert not ENGLISH.search(text), ENGLISH.search(text)
    assert "Tùy chọn" in text and "in hướng dẫn này rồi thoát" in text
    if command:  # a one-line description of its own under the usage
        assert text.split("\n\n")[1].strip().endswith(".")
    else:  # every command is listed with a description
        for name in ("templates", "samples", "consolidate", "init", "tim-huyen"):
            line = next(line for line in text.splitlines() if line.strip().startswith(name))
            assert len(line.split()) > 2
        assert "find-district" not in text


def test_samples_out_and_tim_huyen_argument_are_explained(capsys):
    _code, text = _run(["samples", "-h"], capsys)
    assert re.search(r"--out THƯ_MỤC\s+thư mục", text)
    _code, text = _run(["tim-huyen", "-h"], capsys)
    assert re.search(r"TÊN_HUYỆN\s+tên huyện", text)


@pytest.mark.parametrize("argv, words", [
    (["consolidate", "--bogus"], "không hiểu tham số: --bogus"),
    (["bogus"], "không có lựa chọn 'bogus'"),
    (["init", "--district", "396"], "còn thiếu tham số bắt buộc: --period"),
    (["init", "--period", "2024-H1"], "cần ghi một trong các tham số --district --province"),
    (["init", "--district", "1", "--province", "2", "--period", "2024-H1"], "không dùng cùng lúc"),
    (["consolidate", "--input"], "cần ghi một giá trị"),
    (["tim-huyen"], "còn thiếu tham số bắt buộc: TÊN_HUYỆN"),
])
def test_argument_errors_are_vietnamese(argv, words, capsys):
    code, text = _run(argv, capsys)
    assert code == 2
    assert words in text and "lỗi:" in text and "Xem hướng dẫn" in text
    assert not ENGLISH.search(text), ENGLISH.search(text)


def test_input_that_is_a_file_says_so(tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("x", encoding="utf-8")
    code = main(["consolidate", "--input", str(readme), "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "là một file, không phải thư mục" in err and "không tìm thấy" not in err


def test_every_file_of_another_period_is_said_first_and_gets_no_feedback(tmp_path, capsys, samples):
    out = tmp_path / "out"
    assert main(["consolidate", "--input", str(samples[0].parent), "--output", str(out),
                 "--period", "2024-H2"]) == 0
    captured = capsys.readouterr()
    assert ("các file trong " in captured.err
            and "đều là báo cáo 6 tháng đầu năm 2024; kỳ đang tổng hợp là 6 tháng cuối năm 2024"
            in captured.err)
    assert "--period 2024-H1" in captured.out  # the next step
    assert not list((out / "phan_hoi").iterdir())
    assert "Gửi các file" not in captured.out


def test_one_file_of_another_period_still_gets_its_feedback(tmp_path, capsys, samples):
    from openpyxl import load_workbook
    from sheets import cell_at

    inp = tmp_path / "in"
    inp.mkdir()
    for path in samples[:3]:
        (inp / path.name).write_bytes(path.read_bytes())
    book = load_workbook(inp / samples[0].name)
    cell_at(book["Thông tin chung"], "KY", "Giá trị").value = "2023-H2"
    book.save(inp / samples[0].name)
    main(["consolidate", "--input", str(inp), "--output", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert "kỳ đang tổng hợp" not in captured.err
    assert len(list((tmp_path / "out" / "phan_hoi").iterdir())) == 1


def test_end_of_run_table_counts_notes_late_and_skipped_and_says_what_next(tmp_path, capsys, samples):
    inp = _broken_copy(samples, tmp_path / "in")
    (inp / "bao_cao.docx").write_bytes(b"PK not a workbook")
    (inp / ("~$" + samples[0].name)).write_bytes(b"lock")
    main(["consolidate", "--input", str(inp), "--output", str(tmp_path / "out")])
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("Mã "))
    assert re.search(r"Lỗi +Cảnh báo +Lưu ý +Hạn nộp +File$", header) and "C.báo" not in out
    assert "Bỏ qua 2 file" in out and "bao_cao.docx" in out and "~$" in out
    unit = samples[0].name.split("_")[0]
    row = next(line for line in out.splitlines() if line.startswith(unit))
    assert "Có lỗi" in row
    assert re.search(r"Gửi các file trong .*phan_hoi cho 1 đơn vị có lỗi: Xã ", out)
    assert re.search(r"Nhắc 15 đơn vị chưa nộp", out)
