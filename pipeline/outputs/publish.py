"""Write every output of a run atomically: build in a temporary folder, then move into place."""

from __future__ import annotations

import json
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline import TEMPLATE_VERSION, __version__
from pipeline.core.findings import Finding
from pipeline.core.sample import SAMPLE_TAG, sample_name
from pipeline.district.narrative import NarrativeFacts
from pipeline.district.tables import District
from pipeline.outputs import swap, values_csv
from pipeline.outputs.feedback import write_feedback
from pipeline.outputs.narrative import write_narrative
from pipeline.outputs.report import write_check_report
from pipeline.outputs.summary import write_summary
from pipeline.result import RunResult

FEEDBACK_DIR = "phan_hoi"


def write_outputs(result: RunResult, district: District, facts: NarrativeFacts, out: Path) -> None:
    """Render every output of a finished run into ``out`` (nothing is computed here)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NotAFolder(out)
    out.mkdir(parents=True, exist_ok=True)
    repaired = swap.tidy(out)
    if repaired:
        print(repaired, file=sys.stderr)
    began = time.perf_counter()
    stage = swap.stage_folder(out)
    try:
        names = _names(result)
        failures: list[Finding] = []
        feedback = write_feedback(result, stage / FEEDBACK_DIR, failures)
        result.findings.extend(failures)  # a copy that could not be made is said, in every output
        result.feedback = feedback
        write_findings_csv(result.findings, stage / names["findings"])
        write_values_csv(result, stage / names["values"])
        write_check_report(result, stage / names["report"], feedback)
        write_summary(result, district, stage / names["summary"])
        write_narrative(facts, stage / names["narrative"],
                        created=result.started)
        outputs = {
            "Bảng tổng hợp": names["summary"],
            "Dự thảo báo cáo (Word)": names["narrative"],
            "Báo cáo kiểm tra": names["report"],
            "Phát hiện (CSV)": names["findings"],
            "Số liệu (CSV)": names["values"],
            "Bản phản hồi cho xã": FEEDBACK_DIR + "/",
            "Thông tin lần chạy": names["run"],
        }
        result.outputs = {k: str(out / v) for k, v in outputs.items() if v}
        result.timings["write"] = time.perf_counter() - began
        write_run_json(result, stage / names["run"], feedback)
        swap.publish(stage, out)
        if not result.used_samples:  # a real run leaves no sample workbook beside its own
            for suffix in (".xlsx", ".docx"):
                for old in out.glob(f"*{SAMPLE_TAG}{suffix}"):
                    old.unlink(missing_ok=True)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _names(result: RunResult) -> dict[str, str]:
    """Output file names. A run on the bundled samples tags the documents a person opens
    (``sample_name``); the machine-readable files keep their names (run.json says used_samples)."""
    slug = result.district_slug
    period = str(result.period)
    names = {
        "summary": f"TongHop_NTM_{slug}_{period}.xlsx",
        "report": f"KiemTra_{slug}_{period}.xlsx",
        "narrative": f"BaoCao_NTM_{slug}_{period}.docx",
        "findings": "findings.csv",
        "values": "values.csv",
        "run": "run.json",
    }
    return {k: sample_name(v, result.used_samples and k in ("summary", "report", "narrative"))
            for k, v in names.items()}


class NotAFolder(OSError):
    """The output path is a file, not a folder."""


def failure_message(exc: OSError, out: Path) -> str:
    """What the clerk reads when the outputs could not be written: what output/ holds now, and
    what to do (closing Excel only when a file in use can be the cause)."""
    if isinstance(exc, NotAFolder):
        return (f"Lỗi: {out} là một file, không phải thư mục: không ghi được kết quả. Hãy đổi tên "
                "hoặc chuyển file đó đi, hoặc chọn thư mục khác (--output), rồi chạy lại.")
    kept = getattr(exc, "kept", "previous")
    if kept == "mixed":
        held = (f"Thư mục {out} có thể đang lẫn kết quả cũ và mới: lần chạy sau sẽ tự khôi phục "
                "bộ kết quả trước; đừng dùng các file trong đó trước khi chạy lại.")
    else:
        held = f"Thư mục {out} vẫn giữ nguyên đầy đủ bộ kết quả của lần chạy trước."
    cause = getattr(exc, "cause", None) or exc
    busy = isinstance(cause, PermissionError) or getattr(cause, "winerror", None) in (32, 33)
    advice = ("Nếu một file kết quả đang mở trong Excel, hãy đóng lại rồi chạy lại."
              if busy else "Kiểm tra ổ đĩa còn chỗ trống và quyền ghi vào thư mục, rồi chạy lại.")
    return f"Lỗi: không ghi được kết quả mới. {held} {advice}"


def write_findings_csv(findings: list[Finding], path: Path) -> None:
    """findings.csv; every field made inert for spreadsheet programs (``values_csv.neutralise``)."""
    frame = pd.DataFrame([{k: values_csv.neutralise(str(v)) for k, v in f.to_dict().items()}
                          for f in findings], columns=list(Finding.COLUMNS))
    frame.to_csv(path, index=False, encoding="utf-8-sig")


def write_values_csv(result: RunResult, path: Path) -> None:
    """values.csv: every usable value with its unit, annex, row, column, file and cell."""
    names = {u.code: u.name for u in result.settings.registry.units}
    values_csv.write_values_csv(result.cells, names, path)


def write_run_json(result: RunResult, path: Path, feedback: dict[str, str]) -> None:
    units = result.units
    data = {
        "period": str(result.period),
        "period_label": result.period.label,
        "generated": datetime.now().isoformat(timespec="seconds"),
        "registry": {"level": result.settings.registry.level, "code": result.settings.registry.code,
                     "name": result.settings.registry.name, "size": len(result.settings.registry.units)},
        "input_dir": str(result.input_dir),
        "used_samples": result.used_samples,
        "files_seen": [{"file": r.file, "status": r.status, "unit_code": r.unit_code,
                        "period": r.period, "template_version": r.version} for r in result.files],
        "units": [{
            "unit_code": u.unit_code, "unit_name": u.unit_name, "status": u.status, "file": u.file,
            "files": u.files, "received": None if pd.isna(u.received) else u.received.isoformat(),
            "on_time": u.on_time, "errors": int(u.errors), "warnings": int(u.warnings),
            "infos": int(u.infos), "feedback": feedback.get(u.unit_code),
        } for u in units.itertuples(index=False)],
        "finding_counts": pd.Series([f.level for f in result.findings]).value_counts().to_dict()
        if result.findings else {},
        "outputs": result.outputs,
        "timings_seconds": {k: round(v, 3) for k, v in result.timings.items()},
        "worker_cpu_seconds": {k: round(v, 3) for k, v in result.worker_seconds.items()},
        "tool_version": __version__,
        "template_version": TEMPLATE_VERSION,
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
