"""A run on the bundled samples says so on everything a person looks at; a real run never does."""

from __future__ import annotations

import json
import shutil

import pytest
from openpyxl import load_workbook

import pipeline.run
from pipeline.cli import main

BANNER = "DỮ LIỆU MẪU — KHÔNG DÙNG ĐỂ BÁO CÁO"


def _banners(path) -> dict[str, bool]:
    """Per sheet of a workbook: does one of its first rows read the banner."""
    book = load_workbook(path)
    return {ws.title: any(c.value == BANNER for row in ws.iter_rows(max_row=4) for c in row)
            for ws in book.worksheets if ws.sheet_state == "visible"}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """`consolidate` with an empty input/ folder: the run falls back to the bundled samples."""
    empty, out = tmp_path_factory.mktemp("input"), tmp_path_factory.mktemp("output")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline.run, "INPUT_DIR", empty)
        from contextlib import redirect_stdout
        from io import StringIO
        printed = StringIO()
        with redirect_stdout(printed):
            assert main(["consolidate", "--output", str(out)]) == 0
    return out, printed.getvalue()


def test_sample_run_file_names_say_so(sample_run):
    out, _printed = sample_run
    books = sorted(p.name for p in out.glob("*.xlsx"))
    assert books == ["KiemTra_ThuongXuan_2024-H1_DULIEUMAU.xlsx",
                     "TongHop_NTM_ThuongXuan_2024-H1_DULIEUMAU.xlsx"]
    assert [p.name for p in out.glob("*.docx")] == ["BaoCao_NTM_ThuongXuan_2024-H1_DULIEUMAU.docx"]
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["used_samples"] is True


def test_every_sheet_of_every_workbook_of_a_sample_run_says_so(sample_run):
    out, _printed = sample_run
    for book in out.glob("*.xlsx"):
        banners = _banners(book)
        assert len(banners) >= 2 and all(banners.values()), (book.name, banners)


def test_sample_run_end_message_says_so(sample_run):
    _out, printed = sample_run
    assert "DỮ LIỆU MẪU" in printed and "không dùng để báo cáo" in printed


def test_the_bundled_samples_themselves_say_so(samples):
    banners = _banners(samples[0])
    assert all(banners.values()), banners


def test_a_real_run_never_carries_it_and_drops_stale_sample_books(sample_run, samples, tmp_path,
                                                                  capsys):
    sample_out, _printed = sample_run
    out = tmp_path / "out"
    shutil.copytree(sample_out, out)  # a sample run came first
    inp = tmp_path / "in"
    inp.mkdir()
    for path in samples[:3]:
        shutil.copy(path, inp / path.name)
    assert main(["consolidate", "--input", str(inp), "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "DỮ LIỆU MẪU" not in printed
    books = sorted(p.name for p in out.glob("*.xlsx"))
    assert books == ["KiemTra_ThuongXuan_2024-H1.xlsx", "TongHop_NTM_ThuongXuan_2024-H1.xlsx"]
    for book in books:
        assert not any(_banners(out / book).values()), book
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["used_samples"] is False
