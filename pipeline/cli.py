"""Command line: ``python -m pipeline <command>``. Every message a person reads is Vietnamese."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline import TEMPLATE_VERSION, __version__
from pipeline.argparse_vi import Parser


class UserError(Exception):
    """A problem the clerk can fix (bad settings, unknown code); printed without a traceback."""

    exit_code = 2


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m pipeline",
        description="Tổng hợp báo cáo xây dựng nông thôn mới (NTM) của các xã.",
        epilog="Xem hướng dẫn của từng lệnh, ví dụ: python -m pipeline consolidate -h",
    )
    parser.add_argument("--version", action="version", help="in phiên bản rồi thoát",
                        version=f"%(prog)s {__version__} (biểu mẫu {TEMPLATE_VERSION})")
    parser.add_argument("--settings", type=Path, default=None, metavar="FILE",
                        help="file cài đặt (mặc định templates/cai_dat.toml)")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", title="Các lệnh",
                                parser_class=Parser)

    def command(name: str, about: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=about, description=about[0].upper() + about[1:] + ".")

    p = command("templates", "tạo biểu mẫu trống và biểu mẫu điền sẵn cho từng xã")
    p.add_argument("--out", type=Path, default=None, metavar="THƯ_MỤC",
                   help="thư mục ghi biểu mẫu (mặc định templates/bieu_mau)")

    p = command("samples", "tạo lại các file mẫu đã điền số liệu (templates/mau)")
    p.add_argument("--out", type=Path, default=None, metavar="THƯ_MỤC",
                   help="thư mục ghi file mẫu (mặc định templates/mau)")

    p = command("consolidate", "đọc, kiểm tra và tổng hợp các file của xã trong thư mục input/")
    p.add_argument("--input", type=Path, default=None, metavar="THƯ_MỤC",
                   help="thư mục chứa file của các xã (mặc định input/)")
    p.add_argument("--output", type=Path, default=None, metavar="THƯ_MỤC",
                   help="thư mục ghi kết quả (mặc định output/)")
    p.add_argument("--period", default=None, metavar="KỲ",
                   help="kỳ báo cáo, ví dụ 2024-H1 (6 tháng đầu năm), 2024-H2, 2024-Y (cả năm); "
                        "mặc định theo file cài đặt")
    p.add_argument("--strict", action="store_true",
                   help="kết thúc với mã lỗi 1 nếu còn phát hiện mức Lỗi (dùng khi chạy tự động)")

    p = command("init", "tạo file cài đặt cho một huyện hoặc một tỉnh")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--district", metavar="MÃ_HUYỆN",
                       help="mã huyện (danh mục trước 01/7/2025), ví dụ 396")
    where.add_argument("--province", metavar="MÃ_TỈNH",
                       help="mã tỉnh (danh mục từ 01/7/2025), ví dụ 38")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2024-H1")
    p.add_argument("--deadline", default=None, metavar="NGÀY",
                   help="hạn xã nộp báo cáo, dạng năm-tháng-ngày, ví dụ 2024-12-15")

    p = command("import-history", "nạp số liệu các kỳ trước vào kho lưu trữ từ values.csv hoặc bảng tổng hợp")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE",
                   help="values.csv hoặc TongHop_NTM_….xlsx do công cụ ghi ở các kỳ trước")
    p.add_argument("--period", default=None, metavar="KỲ",
                   help="kỳ của số liệu, khi không có run.json bên cạnh file (ví dụ 2023-H2)")

    p = command("tim-huyen", "tra mã huyện theo tên huyện")
    p.add_argument("name", nargs="+", metavar="TÊN_HUYỆN",
                   help="tên huyện, có dấu hoặc không dấu, ví dụ: Thường Xuân")
    return parser


def _settings(args: argparse.Namespace):
    from pipeline.config.settings import SettingsError, load_settings

    try:
        return load_settings(args.settings)
    except SettingsError as exc:
        raise UserError(str(exc)) from exc


def cmd_templates(args: argparse.Namespace) -> int:
    from pipeline.config.paths import TEMPLATES_DIR
    from pipeline.forms.generate import generate_templates
    from pipeline.progress import progress

    settings = _settings(args)
    prefill = _prefill(settings)
    written = generate_templates(settings, args.out or TEMPLATES_DIR,
                                 progress=lambda units: progress(units, "Tạo biểu mẫu"), prefill=prefill)
    print(f"Đã tạo {len(written)} biểu mẫu kỳ {settings.period.label} trong {written[0].parent}")
    if prefill:
        print(f"{len(prefill)} biểu mẫu được điền sẵn số liệu đến 31/12 năm trước và thông tin công nhận "
              "từ kho lưu trữ (ô điền sẵn có ghi chú; xã vẫn sửa được).")
    return 0


def _prefill(settings):
    """What the archive pre-fills in each unit's template (nothing when there is no archive yet)."""
    from pipeline.annexes import load_annexes
    from pipeline.archive.prefill import prefill_data
    from pipeline.archive.store import Archive, ArchiveError, archive_path

    path = archive_path(settings)
    if not path.is_file():
        return {}
    try:
        with Archive(path) as archive:
            return prefill_data(archive, settings.period, [u.code for u in settings.registry.units],
                                load_annexes())
    except ArchiveError as exc:
        raise UserError(str(exc)) from exc


def cmd_samples(args: argparse.Namespace) -> int:
    from pipeline.config.paths import SAMPLES_DIR
    from pipeline.forms.generate import generate_samples
    from pipeline.progress import progress

    settings = _settings(args)
    written = generate_samples(settings, args.out or SAMPLES_DIR,
                               progress=lambda units: progress(units, "Tạo file mẫu"))
    print(f"Đã tạo {len(written)} file mẫu trong {written[0].parent}")
    return 0


def cmd_consolidate(args: argparse.Namespace) -> int:
    from pipeline.run import consolidate

    settings = _settings(args)
    return consolidate(settings, input_dir=args.input, output_dir=args.output,
                       period=args.period, strict=args.strict)


def cmd_init(args: argparse.Namespace) -> int:
    from pipeline.config.period import PeriodError
    from pipeline.config.registry import RegistryError
    from pipeline.config.settings import DEFAULT_SETTINGS_PATH, SettingsError, make_settings, write_settings

    try:
        settings = make_settings(district=args.district, province=args.province,
                                 period=args.period, deadline=args.deadline)
    except (RegistryError, PeriodError, SettingsError) as exc:
        raise UserError(str(exc)) from exc
    path = args.settings or DEFAULT_SETTINGS_PATH
    write_settings(settings, path)
    print(f"Đã ghi file cài đặt {path}: {settings.registry.name}, "
          f"{len(settings.registry.units)} đơn vị, kỳ {settings.period.label}.")
    print("Tiếp theo: chạy `make templates` (trên Windows: `.venv\\Scripts\\python -m pipeline "
          "templates`) để tạo biểu mẫu gửi các xã.")
    return 0


def cmd_import_history(args: argparse.Namespace) -> int:
    from pipeline.archive.importer import ImportError_, import_history
    from pipeline.archive.store import Archive, ArchiveError, archive_path
    from pipeline.config.period import PeriodError

    settings = _settings(args)
    try:
        archive = Archive(archive_path(settings))
    except ArchiveError as exc:
        raise UserError(str(exc)) from exc
    failed = 0
    with archive:
        for path in args.files:
            try:
                period, counts = import_history(archive, path, args.period)
            except (ImportError_, PeriodError, OSError) as exc:
                print(f"Lỗi: {exc}", file=sys.stderr)
                failed += 1
                continue
            print(f"{path.name}: kỳ {period}, {counts['units_new']} đơn vị mới, "
                  f"{counts['units_replaced']} đơn vị thay số liệu cũ, "
                  f"{counts['units_unchanged']} đơn vị không đổi.")
    print(f"Kho lưu trữ: {archive.path}")
    return 1 if failed else 0


def cmd_find_district(args: argparse.Namespace) -> int:
    from pipeline.config.registry import find_district

    found = find_district(" ".join(args.name))
    if not found:
        print("Không tìm thấy huyện nào có tên như vậy.")
        return 1
    for code, district, province in found:
        print(f"{code}  {district}, {province}")
    return 0


COMMANDS = {
    "templates": cmd_templates,
    "samples": cmd_samples,
    "consolidate": cmd_consolidate,
    "init": cmd_init,
    "import-history": cmd_import_history,
    "tim-huyen": cmd_find_district,
}


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")  # a Windows console would print "?" otherwise
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130
