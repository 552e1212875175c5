"""Replace a set of outputs as a whole: the output folder holds either the whole previous set or
the whole new one, after a failure, and after the next run when a run was killed.

A run stages its outputs in ``.tmp-run-<pid>-…`` inside the output folder, then ``publish``:

1. checks that every target can be replaced (a file, not a folder in its way; on Windows not
   locked by Excel), before touching any;
2. writes a journal in ``.old-run-<pid>-…/`` naming the set, state "moving";
3. moves every previous output of the set into that folder, then every new one into place (renames
   within one folder: nothing is copied);
4. marks the journal "done" and deletes the folder.

A failure in 3 moves everything back. A run killed in 2–4 leaves the folder with its journal;
``tidy`` (at the start of every later write) finishes the job: "moving" puts the previous set back,
"done" deletes the previous set. Leftover ``.tmp-run-*`` folders of dead runs are deleted; folders
of a run still alive (a concurrent run) are left alone. Steps 2–4 hold ``.lock-run`` (one run at a
time per output folder; a lock of a dead process is taken over).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

STAGE_PREFIX = ".tmp-run-"
OLD_PREFIX = ".old-run-"
JOURNAL = "journal.json"


class PublishError(OSError):
    """The new set could not be published; ``kept`` says what the output folder holds:
    "previous" (the last good set, untouched) or "mixed" (the roll-back failed too)."""

    def __init__(self, message: str, kept: str, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.kept = kept
        self.cause = cause


def stage_folder(out: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-", dir=out))


LOCK_NAME = ".lock-run"
#: How long a run waits for another run publishing into the same folder (seconds).
LOCK_WAIT = 120


def publish(stage: Path, out: Path) -> None:
    """Move every item of ``stage`` into ``out``, replacing the previous ones, all or nothing; one
    run at a time per output folder (a concurrent run waits for the other's swap to end)."""
    lock = _lock(out)
    try:
        _publish(stage, out)
    finally:
        lock.unlink(missing_ok=True)


def _lock(out: Path) -> Path:
    """Take the folder's publish lock: ``.lock-run`` made with O_EXCL, holding the owner's pid; a
    lock left by a dead process is taken over."""
    anchor = out / LOCK_NAME
    waited = 0.0
    while True:
        try:
            fd = os.open(anchor, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            if _stale_lock(anchor):
                anchor.unlink(missing_ok=True)
                continue
            if waited >= LOCK_WAIT:
                # B904: the lock is busy, not a failure while handling one; chaining left as it was.
                raise PublishError("thư mục kết quả đang được một lần chạy khác ghi", "previous")  # noqa: B904
            time.sleep(0.2)
            waited += 0.2
            continue
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(str(os.getpid()))
        return anchor


def _stale_lock(anchor: Path) -> bool:
    try:
        owner = anchor.read_text(encoding="ascii").strip()
    except OSError:
        return False
    return not (owner.isdigit() and _pid_alive(int(owner), anchor))


def _publish(stage: Path, out: Path) -> None:
    names = sorted(p.name for p in stage.iterdir())
    _check_replaceable(stage, out, names)
    old = Path(tempfile.mkdtemp(prefix=f"{OLD_PREFIX}{os.getpid()}-", dir=out))
    existed = [n for n in names if os.path.lexists(out / n)]
    _journal(old, names, existed, "moving")
    moved_aside: list[str] = []
    placed: list[str] = []
    try:
        for name in existed:
            os.replace(out / name, old / name)
            moved_aside.append(name)
        for name in names:
            os.replace(stage / name, out / name)
            placed.append(name)
    except OSError as exc:
        try:
            _roll_back(out, old, placed, moved_aside)
        except OSError as again:
            raise PublishError(f"{exc}; khôi phục thất bại: {again}", "mixed", exc) from exc
        shutil.rmtree(old, ignore_errors=True)
        raise PublishError(str(exc), "previous", exc) from exc
    _journal(old, names, existed, "done")
    shutil.rmtree(old, ignore_errors=True)


def _check_replaceable(stage: Path, out: Path, names: list[str]) -> None:
    """Refuse before any change when a target cannot be replaced."""
    for name in names:
        target = out / name
        if not os.path.lexists(target):
            continue
        if (stage / name).is_dir() != target.is_dir() or target.is_symlink():
            raise PublishError(f"'{target}' không thay được (khác loại: thư mục/file)", "previous")
        if target.is_file():
            try:  # Windows refuses this while Excel holds the file open
                with open(target, "r+b"):
                    pass
            except OSError as exc:
                raise PublishError(str(exc), "previous", exc) from exc


def _roll_back(out: Path, old: Path, placed: list[str], moved_aside: list[str]) -> None:
    for name in placed:
        _remove(out / name)
    for name in moved_aside:
        os.replace(old / name, out / name)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()


def _journal(old: Path, names: list[str], existed: list[str], state: str) -> None:
    tmp = old / (JOURNAL + ".tmp")
    tmp.write_text(json.dumps({"names": names, "existed": existed, "state": state}), encoding="utf-8")
    os.replace(tmp, old / JOURNAL)


def tidy(out: Path) -> str | None:
    """Finish what killed runs left in ``out``; returns a sentence for the clerk when a killed
    publish was repaired, else None. Folders of runs still alive are not touched."""
    if not out.is_dir():
        return None
    said = None
    if (out / LOCK_NAME).exists() and _stale_lock(out / LOCK_NAME):
        (out / LOCK_NAME).unlink(missing_ok=True)
    for path in sorted(out.iterdir()):
        if not path.is_dir():
            continue
        if path.name.startswith(OLD_PREFIX) and not _alive(path, OLD_PREFIX):
            said = _finish(out, path) or said
        elif path.name.startswith(STAGE_PREFIX) and not _alive(path, STAGE_PREFIX):
            shutil.rmtree(path, ignore_errors=True)
    return said


def _finish(out: Path, old: Path) -> str | None:
    try:
        journal = json.loads((old / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        journal = None
    if journal is None:  # killed before the journal was written: nothing was moved yet
        shutil.rmtree(old, ignore_errors=True)
        return None
    if journal.get("state") == "done":
        shutil.rmtree(old, ignore_errors=True)
        return None
    for name in journal.get("names", []):
        kept = old / name
        if name in journal.get("existed", []):
            if os.path.lexists(kept):  # the previous output was moved aside: put it back
                _remove(out / name)
                os.replace(kept, out / name)
        else:  # a new output with no previous one: not part of the previous set
            _remove(out / name)
    shutil.rmtree(old, ignore_errors=True)
    return ("Lần chạy trước bị dừng giữa lúc ghi kết quả: đã khôi phục đầy đủ bộ kết quả "
            "của lần chạy trước nữa.")


def _alive(path: Path, prefix: str) -> bool:
    """Whether the process that made the folder ``path`` (``<prefix><pid>-…``) still runs."""
    pid = path.name[len(prefix):].split("-", 1)[0]
    return pid.isdigit() and _pid_alive(int(pid), path)


def _pid_alive(pid: int, made: Path) -> bool:
    """Whether process ``pid``, which made ``made``, still runs."""
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would send Ctrl+C there: a day-old one is dead
        try:
            return time.time() - made.stat().st_mtime < 86_400
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True
