"""Vietnamese text helpers: file names, slugs, matching keys, unit prefixes."""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.text.fold import fold
from pipeline.text.names import ascii_name, slug, split_unit_prefix, strip_unit_prefix

# (text, expected)
ASCII_NAMES = [
    ("Thường Xuân", "ThuongXuan"),
    ("Xã Thọ Thanh", "XaThoThanh"),
    ("Đặc khu Côn Đảo", "DackhuConDao"),
    ("đồng Đăng", "dongDang"),
    ("Bà Rịa - Vũng Tàu", "BaRiaVungTau"),
    ("Phường 12", "Phuong12"),
    ("", ""),
]

SLUGS = [
    ("Xã Thọ Thanh", "xa_tho_thanh"),
    ("Thị trấn Thường Xuân", "thi_tran_thuong_xuan"),
    ("  Bà Rịa - Vũng Tàu ", "ba_ria_vung_tau"),
    ("Đắk Lắk", "dak_lak"),
]

FOLDS = [
    ("Xã Thọ Thanh", "xa tho thanh"),
    ("THỌ   THANH ", "tho thanh"),
    ("Đồng\u00a0Tháp", "dong thap"),
    ("tho thanh", "tho thanh"),
]

PREFIXES = [
    ("Xã Thọ Thanh", "Thọ Thanh"),
    ("Thị trấn Thường Xuân", "Thường Xuân"),
    ("Phường Hàm Rồng", "Hàm Rồng"),
    ("Đặc khu Côn Đảo", "Côn Đảo"),
    ("Huyện Thường Xuân", "Thường Xuân"),
    ("Thị xã Nghi Sơn", "Nghi Sơn"),
    ("Thành phố Thanh Hóa", "Thanh Hóa"),
    ("Tỉnh Thanh Hóa", "Thanh Hóa"),
    ("XÃ THỌ THANH", "THỌ THANH"),
    ("xa Tho Thanh", "Tho Thanh"),
    ("TT Thường Xuân", "Thường Xuân"),
    ("X. Thọ Thanh", "Thọ Thanh"),
    ("Thọ Thanh", "Thọ Thanh"),
    ("Xã", "Xã"),
    ("Phường 1", "Phường 1"),  # the number alone names nothing: kept whole
    ("  Xã   Thọ  Thanh ", "Thọ Thanh"),
]


@pytest.mark.parametrize(("text", "exp"), ASCII_NAMES)
def test_ascii_name(text: str, exp: str) -> None:
    got = ascii_name(text)
    assert got == exp
    assert got.isascii()


@pytest.mark.parametrize(("text", "exp"), SLUGS)
def test_slug(text: str, exp: str) -> None:
    assert slug(text) == exp


@pytest.mark.parametrize(("text", "exp"), FOLDS)
def test_fold(text: str, exp: str) -> None:
    assert fold(text) == exp


def test_fold_ignores_unicode_form() -> None:
    composed = "Xã Thọ Thanh"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert fold(decomposed) == fold(composed)
    assert ascii_name(decomposed) == "XaThoThanh"


@pytest.mark.parametrize(("text", "exp"), PREFIXES)
def test_strip_unit_prefix(text: str, exp: str) -> None:
    assert strip_unit_prefix(text) == exp


def test_strip_unit_prefix_returns_nfc() -> None:
    got = strip_unit_prefix(unicodedata.normalize("NFD", "Xã Thọ Thanh"))
    assert got == "Thọ Thanh"
    assert unicodedata.is_normalized("NFC", got)


def test_split_unit_prefix_gives_canonical_kind() -> None:
    assert split_unit_prefix("TT. Thường Xuân") == ("Thị trấn", "Thường Xuân")
    assert split_unit_prefix("xa Tho Thanh") == ("Xã", "Tho Thanh")
    assert split_unit_prefix("Thọ Thanh") == (None, "Thọ Thanh")


@pytest.mark.parametrize("typed", ["Ðạt", "ĐẠT", "đạt", " Đạt\u200b ", "\ufeffĐ\u0323at", "Đ\u00adạt"])
def test_one_fold_for_every_way_dat_is_typed(typed):
    # "Ð" (U+00D0, eth) is often typed for "Đ"; a zero-width space or BOM comes with pasted text.
    assert fold(typed) == "dat"


def test_fold_is_the_only_fold():
    import pipeline.text.names as names
    import pipeline.text.normalize as normalize

    assert names.fold is fold and normalize.fold is fold
