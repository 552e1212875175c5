"""Output sets are never mixed: after a failure the output folder holds the whole previous set;
after a kill at any point, the next run restores one whole set and tidies the leftovers."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import corpus
import pytest

from pipeline.cli import main
from pipeline.outputs import swap

REPO = Path(__file__).resolve().parent.parent


def _digests(out: Path) -> dict[str, str]:
    """Every visible output (files inside phan_hoi/ too) → digest of its bytes."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(out).parts)}


def _hidden(out: Path) -> list[str]:
    return [p.name for p in out.iterdir() if p.name.startswith(".")]


@pytest.fixture
def two_inputs(tmp_path, samples):
    """Input A: four communes. Input B: three of them plus a broken copy of the fourth, so every
    output of B differs from A's."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for p in samples[:4]:
        shutil.copy2(p, a / p.name)
    for p in samples[:3]:
        shutil.copy2(p, b / p.name)
    corpus.garbage_in_number(samples[3], b / samples[3].name)
    return a, b


def _previous_set(a: Path, out: Path) -> dict[str, str]:
    assert main(["consolidate", "--input", str(a), "--output", str(out)]) == 0
    return _digests(out)


def test_failed_rename_keeps_the_whole_previous_set(two_inputs, tmp_path, monkeypatch, capsys):
    a, b = two_inputs
    out = tmp_path / "out"
    before = _previous_set(a, out)
    real = os.replace

    def refuse_report(src, dst, *args, **kwargs):  # as Windows does while Excel holds the file
        if Path(dst).name.startswith("KiemTra_") and swap.STAGE_PREFIX in str(src):
            raise PermissionError(13, "The process cannot access the file", str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", refuse_report)
    capsys.readouterr()
    assert main(["consolidate", "--input", str(b), "--output", str(out)]) == 3
    err = capsys.readouterr().err
    assert _digests(out) == before
    assert "giữ nguyên đầy đủ bộ kết quả của lần chạy trước" in err and "Excel" in err
    assert _hidden(out) == []


def test_replace_checked_before_any_change(two_inputs, tmp_path, capsys):
    """A folder standing where an output file goes is found before anything is replaced."""
    a, b = two_inputs
    out = tmp_path / "out"
    before = _previous_set(a, out)
    (out / "findings.csv").unlink()
    (out / "findings.csv").mkdir()
    before = _digests(out)
    assert main(["consolidate", "--input", str(b), "--output", str(out)]) == 3
    assert _digests(out) == before
    assert "giữ nguyên" in capsys.readouterr().err
    assert _hidden(out) == []


def test_output_that_is_a_file_is_not_blamed_on_excel(tmp_path, samples, capsys):
    out = tmp_path / "output"
    out.write_text("không phải thư mục", encoding="utf-8")
    assert main(["consolidate", "--input", str(samples[0].parent), "--output", str(out)]) == 3
    err = capsys.readouterr().err
    assert "là một file, không phải thư mục" in err and "Excel" not in err
    assert "Errno" not in err.splitlines()[0]


_KILLED_RUN = textwrap.dedent("""
    import os, sys
    from pipeline.outputs import swap
    from pipeline.cli import main
    kill_at, calls = int(sys.argv[1]), [0]

    class Os:
        def __getattr__(self, name):
            return getattr(os, name)

        def replace(self, src, dst):
            calls[0] += 1
            if calls[0] == kill_at:
                os._exit(137)  # SIGKILL: no clean-up code runs
            os.replace(src, dst)

    swap.os = Os()
    code = main(["consolidate", "--input", sys.argv[2], "--output", sys.argv[3]])
    print("RENAMES", calls[0])
    sys.exit(code)
""")


def _killed_run(kill_at: int, inp: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _KILLED_RUN, str(kill_at), str(inp), str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)


def test_killed_at_any_rename_the_next_run_restores_one_whole_set(two_inputs, tmp_path):
    a, b = two_inputs
    counted = tmp_path / "counted"
    before = _previous_set(a, counted)
    previous = tmp_path / "previous"
    shutil.copytree(counted, previous)
    done = _killed_run(0, b, counted)
    assert done.returncode == 0, done.stderr
    renames = int(done.stdout.split("RENAMES")[1])
    new_names = set(_digests(counted))
    assert renames >= 2 * len(list(counted.iterdir()))
    for kill_at in range(1, renames + 1):
        out = tmp_path / f"out{kill_at}"
        shutil.copytree(previous, out)
        killed = _killed_run(kill_at, b, out)
        assert killed.returncode == 137
        said = swap.tidy(out)  # what the next run does first
        after = _digests(out)
        assert _hidden(out) == [], kill_at
        if after == before:
            assert said is None or "khôi phục" in said
        else:  # the whole new set: no output of the previous one is left
            assert set(after) == new_names, kill_at
            assert not set(after.items()) & set(before.items()), kill_at


def test_leftovers_of_dead_runs_are_tidied_and_live_ones_kept(tmp_path, samples):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    (out / f"{swap.STAGE_PREFIX}{dead}-abc").mkdir()
    (out / f"{swap.OLD_PREFIX}{dead}-abc").mkdir()
    alive = out / f"{swap.STAGE_PREFIX}{os.getppid()}-xyz"
    alive.mkdir()
    assert main(["consolidate", "--input", str(samples[0].parent), "--output", str(out)]) == 0
    assert _hidden(out) == [alive.name]


def test_concurrent_runs_publish_one_at_a_time(two_inputs, tmp_path):
    """Runs writing into one output folder at once: each swap is whole, so the folder ends holding
    one run's complete set, never a mix."""
    import json

    a, b = two_inputs
    out = tmp_path / "out"
    alone = {}
    for inp in (a, b):
        assert main(["consolidate", "--input", str(inp), "--output", str(tmp_path / ("alone_" + inp.name))]) == 0
        alone[str(inp)] = set(_digests(tmp_path / ("alone_" + inp.name)))
    runs = [subprocess.Popen([sys.executable, "-m", "pipeline", "consolidate", "--input", str(inp),
                              "--output", str(out)], cwd=REPO, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True) for inp in (a, b, a, b)]
    assert [r.wait(timeout=600) for r in runs] == [0, 0, 0, 0], [r.stderr.read() for r in runs]
    assert _hidden(out) == []
    winner = json.loads((out / "run.json").read_text(encoding="utf-8"))["input_dir"]
    assert set(_digests(out)) == alone[winner]
    findings = (out / "findings.csv").read_text(encoding="utf-8-sig")
    assert (corpus.GARBAGE in findings) == (winner == str(b))
