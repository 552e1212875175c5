"""The district settings file: make, write, load, and the problems a clerk can cause."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from pipeline.config.period import Period, PeriodError
from pipeline.config.registry import RegistryError
from pipeline.config.settings import (
    DEFAULT_SETTINGS_PATH,
    Settings,
    SettingsError,
    load_settings,
    make_settings,
    settings_to_toml,
    write_settings,
)


@pytest.fixture(scope="module")
def district_settings() -> Settings:
    return make_settings(district="396", period="2024-H1", deadline="2024-06-15")


@pytest.fixture()
def settings_file(tmp_path: Path, district_settings: Settings) -> Path:
    path = tmp_path / "cai_dat.toml"
    write_settings(district_settings, path)
    return path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_make_settings_for_a_district(district_settings: Settings) -> None:
    s = district_settings
    assert s.period == Period(2024, 1)
    assert s.deadline == date(2024, 6, 15)
    assert (s.registry.level, s.registry.code, len(s.registry.units)) == ("huyen", "396", 16)
    assert s.office == "PHÒNG NÔNG NGHIỆP VÀ PTNT"
    assert s.authority == "UBND HUYỆN THƯỜNG XUÂN"
    assert s.region == "BTB"
    assert s.signer_title == "TRƯỞNG PHÒNG"


def test_round_trip_district(settings_file: Path, district_settings: Settings) -> None:
    assert load_settings(settings_file) == district_settings
    assert [p.name for p in settings_file.parent.iterdir()] == ["cai_dat.toml"]  # no temp file left


def test_round_trip_with_every_field_set(tmp_path: Path, district_settings: Settings) -> None:
    from dataclasses import replace

    settings = replace(
        district_settings,
        deadline=None,
        signer_name="Lê Văn \"Tư\"",
        preparer="Nguyễn Thị Hoa\\Phòng NN",
        office="PHÒNG KINH TẾ",
        region="TDMNPB",
        period=Period(2024, None),
    )
    path = tmp_path / "sub" / "cai_dat.toml"
    write_settings(settings, path)
    assert load_settings(path) == settings


@pytest.mark.parametrize(("province", "layout", "units_at_least"), [("38", "2025", 100), ("38", "legacy", 547)])
def test_round_trip_province(tmp_path: Path, province: str, layout: str, units_at_least: int) -> None:
    settings = make_settings(province=province, layout=layout, period="2025-H2")
    assert settings.registry.level == "tinh"
    assert len(settings.registry.units) >= units_at_least
    path = tmp_path / "cai_dat.toml"
    write_settings(settings, path)
    assert load_settings(path) == settings


def test_written_file_is_commented_vietnamese_toml(district_settings: Settings) -> None:
    text = settings_to_toml(district_settings)
    data = tomllib.loads(text)
    assert data["ky_bao_cao"] == {"ky": "2024-H1", "han_nop": "2024-06-15"}
    head = data["don_vi_tong_hop"]
    assert (head["cap"], head["ma"], head["ten"], head["ma_tinh"], head["ten_tinh"], head["vung"]) == (
        "huyen",
        "396",
        "Huyện Thường Xuân",
        "38",
        "Tỉnh Thanh Hóa",
        "BTB",
    )
    assert len(data["don_vi"]) == 16
    assert data["don_vi"][12] == {"ma": "15652", "ten": "Xã Thọ Thanh", "loai": "Xã"}
    assert "# Kỳ báo cáo" in text


def test_default_template_is_current(district_settings: Settings) -> None:
    assert DEFAULT_SETTINGS_PATH.name == "cai_dat.toml"
    assert DEFAULT_SETTINGS_PATH.parent.name == "templates"
    assert load_settings() == district_settings
    assert load_settings(DEFAULT_SETTINGS_PATH) == district_settings


def test_clerk_removes_and_adds_units(settings_file: Path) -> None:
    _edit(settings_file, '[[don_vi]]\nma = "15610"\nten = "Xã Yên Nhân"\nloai = "Xã"\n', "")
    _edit(settings_file, "[[don_vi]]\n", '[[don_vi]]\nma = "15999"\nten = "Xã Mới Lập"\n\n[[don_vi]]\n')
    registry = load_settings(settings_file).registry
    assert len(registry.units) == 16
    assert registry.unit("15610") is None
    assert registry.unit("15999") is not None and registry.unit("15999").kind == "Xã"
    assert list(registry.codes) == sorted(registry.codes)


def test_lenient_forms_are_read(settings_file: Path) -> None:
    _edit(settings_file, 'ma = "15610"', "ma = 15610")
    _edit(settings_file, 'han_nop = "2024-06-15"', 'han_nop = "15/06/2024"')
    _edit(settings_file, 'vung = "BTB"', 'vung = "ĐBSH"')
    _edit(settings_file, 'loai = "Thị trấn"', 'loai = "thị trấn"')
    settings = load_settings(settings_file)
    assert settings.registry.unit("15610") is not None
    assert settings.deadline == date(2024, 6, 15)
    assert settings.region == "DBSH"
    assert settings.registry.unit("15646").kind == "Thị trấn"


def test_byte_order_mark_is_accepted(settings_file: Path, district_settings: Settings) -> None:
    settings_file.write_bytes(b"\xef\xbb\xbf" + settings_file.read_bytes())
    assert load_settings(settings_file) == district_settings


def test_bad_period(settings_file: Path) -> None:
    _edit(settings_file, 'ky = "2024-H1"', 'ky = "2024-H3"')
    with pytest.raises(SettingsError) as info:
        load_settings(settings_file)
    message = str(info.value)
    assert str(settings_file) in message
    assert "[ky_bao_cao]" in message and "'ky'" in message
    assert "2024-H3" in message
    assert "dòng 15" in message


def test_duplicate_unit_code(settings_file: Path) -> None:
    _edit(settings_file, 'ma = "15610"', 'ma = "15607"')
    with pytest.raises(SettingsError) as info:
        load_settings(settings_file)
    assert len(info.value.problems) == 1
    problem = info.value.problems[0]
    assert "[[don_vi]] thứ 2" in problem and "'ma'" in problem
    assert "15607" in problem and "trùng" in problem
    assert str(settings_file) in str(info.value)


def test_syntax_error(settings_file: Path) -> None:
    _edit(settings_file, 'ten = "Huyện Thường Xuân"', 'ten = "Huyện Thường Xuân')
    with pytest.raises(SettingsError) as info:
        load_settings(settings_file)
    message = str(info.value)
    assert str(settings_file) in message
    assert "cú pháp" in message and "dòng 32" in message


def test_every_problem_is_reported_at_once(settings_file: Path) -> None:
    _edit(settings_file, 'han_nop = "2024-06-15"', 'han_nop = "2024-02-30"')
    _edit(settings_file, 'ma = "15619"', 'ma = "1561"')
    _edit(settings_file, 'loai = "Thị trấn"', 'loai = "Quận"')
    _edit(settings_file, 'vung = "BTB"', 'vung = "MIEN TRUNG"')
    _edit(settings_file, 'nguoi_lap = ""', 'nguoi_lap = ""\nnguoi_lapp = ""')
    with pytest.raises(SettingsError) as info:
        load_settings(settings_file)
    keys = sorted(problem.split("khóa ")[1].split(" ")[0] for problem in info.value.problems)
    assert keys == ["'han_nop'", "'loai'", "'ma'", "'nguoi_lapp'", "'vung'"]


def test_missing_sections(tmp_path: Path) -> None:
    path = tmp_path / "cai_dat.toml"
    path.write_text('[ky_bao_cao]\nky = "2024-H1"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    assert any("[don_vi_tong_hop]" in p for p in info.value.problems)
    assert any("[don_vi]" in p for p in info.value.problems)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(tmp_path / "khong_co.toml")
    assert "Không tìm thấy tệp cài đặt" in str(info.value)


def test_not_utf8(tmp_path: Path, district_settings: Settings) -> None:
    path = tmp_path / "cai_dat.toml"
    path.write_bytes(settings_to_toml(district_settings).encode("utf-16"))
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    assert "UTF-8" in str(info.value)


def test_make_settings_rejects_bad_arguments() -> None:
    with pytest.raises(SettingsError):
        make_settings(period="2024-H1")
    with pytest.raises(SettingsError):
        make_settings(district="396", province="38", period="2024-H1")
    with pytest.raises(SettingsError):
        make_settings(district="396", period="2024-H1", deadline="30/02/2024")
    with pytest.raises(PeriodError):
        make_settings(district="396", period="2024")
    with pytest.raises(RegistryError):
        make_settings(district="999", period="2024-H1")


def test_write_replaces_an_existing_file(settings_file: Path, district_settings: Settings) -> None:
    from dataclasses import replace

    later = replace(district_settings, period=Period(2024, 2), deadline=date(2024, 12, 10))
    write_settings(later, settings_file)
    assert load_settings(settings_file) == later


def test_unknown_district_code_is_refused_in_vietnamese(settings_file: Path, tmp_path: Path, capsys) -> None:
    """ma = "999" is no district of the official list: refused by key and line, never recorded
    under the old name (issue 10); also through the CLI."""
    _edit(settings_file, 'ma = "396"', 'ma = "999"')
    with pytest.raises(SettingsError) as info:
        load_settings(settings_file)
    message = str(info.value)
    assert "'ma'" in message and "999" in message and "không có huyện" in message
    assert "tim-huyen" in message

    from pipeline.cli import main

    code = main(["--settings", str(settings_file), "consolidate", "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "không có huyện mã '999'" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
