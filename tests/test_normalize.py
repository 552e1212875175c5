"""Tests for pipeline.text.normalize: (raw, exp) tables, idempotence, legacy round trips."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

import pytest

from pipeline.text.fold import fold
from pipeline.text.legacy import (
    TCVN3_TO_UNICODE,
    VNI_TO_UNICODE,
    detect_legacy,
    tcvn3_to_unicode,
    vni_to_unicode,
)
from pipeline.text.normalize import (
    NOTE_CODES,
    Parsed,
    clean_text,
    parse_choice,
    parse_number,
)

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"
ASSESSMENT = ("Đạt", "Chưa đạt")
APPLIES = ("Có", "Không thuộc")
STARS = ("3", "4", "5")


def triple(got: Parsed) -> tuple[object, bool, str | None]:
    return got.value, got.ok, got.code


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

# raw, exp (value, ok, code)
NUMBER_CASES = [
    # Already clean: no note.
    (None, (None, True, None)),
    (0, (0.0, True, None)),
    (7, (7.0, True, None)),
    (1234.5, (1234.5, True, None)),
    (-3.25, (-3.25, True, None)),
    (Decimal("12.5"), (12.5, True, None)),
    (float("nan"), (None, True, None)),
    # Blank text.
    ("", (None, True, None)),
    ("   ", (None, True, None)),
    (NBSP, (None, True, None)),
    ("\u200b", (None, True, None)),
    # Numbers typed as text, Vietnamese and English forms.
    ("1234", (1234.0, True, "number-from-text")),
    ("1.234,5", (1234.5, True, "number-from-text")),
    ("1,234.5", (1234.5, True, "number-from-text")),
    ("1.234.567", (1234567.0, True, "number-from-text")),
    ("1,234,567", (1234567.0, True, "number-from-text")),
    ("1.234.567,89", (1234567.89, True, "number-from-text")),
    ("1,234,567.89", (1234567.89, True, "number-from-text")),
    ("0,9", (0.9, True, "number-from-text")),
    ("12,5", (12.5, True, "number-from-text")),
    ("12.5", (12.5, True, "number-from-text")),
    ("0.234", (0.234, True, "number-from-text")),
    ("0,234", (0.234, True, "number-from-text")),
    ("1,2345", (1.2345, True, "number-from-text")),
    ("1234,567", (1234.567, True, "number-from-text")),
    (",5", (0.5, True, "number-from-text")),
    # Ambiguous single separator + 3 digits: Vietnamese convention, with a note.
    ("1.234", (1234.0, True, "number-ambiguous-separator")),
    ("12.345", (12345.0, True, "number-ambiguous-separator")),
    ("1,234", (1.234, True, "number-ambiguous-separator")),
    ("1,000", (1.0, True, "number-ambiguous-separator")),
    # Spaces of every kind.
    ("  12 ", (12.0, True, "number-from-text")),
    (f"{NBSP}800{NBSP}", (800.0, True, "number-from-text")),
    (f"1{NBSP}234", (1234.0, True, "number-from-text")),
    (f"1{NNBSP}234{NNBSP}567", (1234567.0, True, "number-from-text")),
    (f"1{THIN}234,5", (1234.5, True, "number-from-text")),
    ("1 234 567.5", (1234567.5, True, "number-from-text")),
    ("\u200b42\u200b", (42.0, True, "number-from-text")),
    # Excel's text prefix, signs.
    ("'1234", (1234.0, True, "number-from-text")),
    ("\u20191.234,5", (1234.5, True, "number-from-text")),
    ("-5", (-5.0, True, "number-from-text")),
    ("\u22125", (-5.0, True, "number-from-text")),
    ("\u2212 1.234,5", (-1234.5, True, "number-from-text")),
    ("+7", (7.0, True, "number-from-text")),
    ("-0", (0.0, True, "number-from-text")),
    ("１２３", (123.0, True, "number-from-text")),
    # Percent sign: the number is already 0–100.
    ("90%", (90.0, True, "percent-sign")),
    ("90 %", (90.0, True, "percent-sign")),
    (f"96,5{NBSP}%", (96.5, True, "percent-sign")),
    ("0,5%", (0.5, True, "percent-sign")),
    # Dashes mean "no figure"; "không" means zero.
    ("-", (None, True, "blank-dash")),
    ("—", (None, True, "blank-dash")),
    ("–", (None, True, "blank-dash")),
    ("--", (None, True, "blank-dash")),
    (" - ", (None, True, "blank-dash")),
    ("không", (0, True, "zero-from-word")),
    ("Không", (0, True, "zero-from-word")),
    ("KHÔNG", (0, True, "zero-from-word")),
    ("không có", (0, True, "zero-from-word")),
    # Failures.
    ("abc", (None, False, "not-a-number")),
    ("N/A", (None, False, "not-a-number")),
    ("7/7", (None, False, "not-a-number")),
    ("12,34,567", (None, False, "not-a-number")),
    ("1.23.4", (None, False, "not-a-number")),
    ("1.2,5", (None, False, "not-a-number")),
    ("1,234,5", (None, False, "not-a-number")),
    ("12 5", (None, False, "not-a-number")),
    ("5.", (None, False, "not-a-number")),
    ("%", (None, False, "not-a-number")),
    ("=SUM(A1:A3)", (None, False, "not-a-number")),
    ("(5)", (None, False, "not-a-number")),
    ("800 người", (None, False, "number-with-unit")),
    ("15 triệu đồng", (None, False, "number-with-unit")),
    ("#DIV/0!", (None, False, "excel-error")),
    ("#N/A", (None, False, "excel-error")),
    ("#value!", (None, False, "excel-error")),
    (True, (None, False, "not-a-number")),
    (False, (None, False, "not-a-number")),
    (float("inf"), (None, False, "not-a-number")),
    (date(2024, 6, 30), (None, False, "not-a-number")),
    ([1, 2], (None, False, "not-a-number")),
]

# raw, exp (value, ok, code) with percent=True
PERCENT_CASES = [
    (90, (90.0, True, None)),
    (100, (100.0, True, None)),
    (96.5, (96.5, True, None)),
    (0, (0.0, True, None)),
    # Exactly 1 stays 1 (see _finish_number).
    (1, (1.0, True, None)),
    (1.0, (1.0, True, None)),
    # A fraction: typed, or an Excel cell formatted as %.
    (0.9, (90.0, True, "percent-from-fraction")),
    (0.07, (7.0, True, "percent-from-fraction")),
    (Decimal("0.96"), (96.0, True, "percent-from-fraction")),
    ("0,9", (90.0, True, "percent-from-fraction")),
    ("0.9", (90.0, True, "percent-from-fraction")),
    ("0,965", (96.5, True, "percent-from-fraction")),
    ("'0,5", (50.0, True, "percent-from-fraction")),
    # With a % sign the number is already a percentage, even below 1.
    ("90%", (90.0, True, "percent-sign")),
    ("0,9%", (0.9, True, "percent-sign")),
    ("1%", (1.0, True, "percent-sign")),
    ("100 %", (100.0, True, "percent-sign")),
    ("96,5", (96.5, True, "number-from-text")),
    ("1", (1.0, True, "number-from-text")),
    # Out of range stays out of range: validation reports it, normalize does not clip.
    (150, (150.0, True, None)),
    (-0.5, (-0.5, True, None)),
    ("-", (None, True, "blank-dash")),
    ("abc", (None, False, "not-a-number")),
]

# raw, exp (value, ok, code) with integer=True
INTEGER_CASES = [
    (7, (7, True, None)),
    (7.0, (7, True, None)),
    (Decimal("800"), (800, True, None)),
    (0, (0, True, None)),
    ("7", (7, True, "number-from-text")),
    ("7,0", (7, True, "number-from-text")),
    ("1.234", (1234, True, "number-ambiguous-separator")),
    # In a whole-number cell "1,234" can only be thousands.
    ("1,234", (1234, True, "number-ambiguous-separator")),
    ("1.234.567", (1234567, True, "number-from-text")),
    (f"1{NBSP}200", (1200, True, "number-from-text")),
    ("không", (0, True, "zero-from-word")),
    (7.5, (None, False, "not-integer")),
    ("7,5", (None, False, "not-integer")),
    ("0,5", (None, False, "not-integer")),
    ("abc", (None, False, "not-a-number")),
    (True, (None, False, "not-a-number")),
]


@pytest.mark.parametrize(("raw", "exp"), NUMBER_CASES)
def test_parse_number(raw: object, exp: tuple) -> None:
    got = parse_number(raw)
    assert triple(got) == exp


@pytest.mark.parametrize(("raw", "exp"), PERCENT_CASES)
def test_parse_number_percent(raw: object, exp: tuple) -> None:
    got = parse_number(raw, percent=True)
    assert triple(got) == exp


@pytest.mark.parametrize(("raw", "exp"), INTEGER_CASES)
def test_parse_number_integer(raw: object, exp: tuple) -> None:
    got = parse_number(raw, integer=True)
    assert triple(got) == exp
    if got.value is not None:
        assert type(got.value) is int


def test_parse_number_value_types() -> None:
    assert type(parse_number(7).value) is float
    assert type(parse_number("7").value) is float
    assert type(parse_number(7.0, integer=True).value) is int


# The converted number is written the Vietnamese way too (issue 14: never "84.5", never "1.990").
def test_number_note_wording() -> None:
    assert parse_number("1.234,5").note == "Đã chuyển chữ '1.234,5' thành số 1.234,5."
    assert parse_number("84,5").note == "Đã chuyển chữ '84,5' thành số 84,5."
    assert parse_number("1.000.000").note == "Đã chuyển chữ '1.000.000' thành số 1.000.000."
    assert parse_number(" 1990 ", integer=True, year=True).note == \
        "Đã chuyển chữ ' 1990 ' thành số 1990."
    assert "0 <" not in (parse_number("0,9", percent=True).note or "")


def test_ambiguous_notes_explain_the_other_reading() -> None:
    got = parse_number("1,234").note or ""
    assert "1 phẩy 234" in got and "1234" in got
    got = parse_number("1.234").note or ""
    assert "hàng nghìn" in got and "1,234" in got


def test_fraction_note_shows_how_to_type_a_small_percentage() -> None:
    got = parse_number("0,5", percent=True).note or ""
    assert "0,5%" in got


# ---------------------------------------------------------------------------
# Choices
# ---------------------------------------------------------------------------

# raw, choices, exp (value, ok, code)
CHOICE_CASES = [
    ("Đạt", ASSESSMENT, ("Đạt", True, None)),
    ("Chưa đạt", ASSESSMENT, ("Chưa đạt", True, None)),
    (None, ASSESSMENT, (None, True, None)),
    ("", ASSESSMENT, (None, True, None)),
    ("  ", ASSESSMENT, (None, True, None)),
    ("đạt", ASSESSMENT, ("Đạt", True, "choice-case")),
    ("ĐẠT", ASSESSMENT, ("Đạt", True, "choice-case")),
    (" Dat ", ASSESSMENT, ("Đạt", True, "choice-case")),
    ("dat", ASSESSMENT, ("Đạt", True, "choice-case")),
    ("DAT", ASSESSMENT, ("Đạt", True, "choice-case")),
    ("Đạt ", ASSESSMENT, ("Đạt", True, "choice-case")),
    ("Ða\u0323t", ASSESSMENT, ("Đạt", True, "choice-case")),  # Icelandic Ð, NFD
    ("chua dat", ASSESSMENT, ("Chưa đạt", True, "choice-case")),
    ("Chưa  đạt", ASSESSMENT, ("Chưa đạt", True, "choice-case")),
    ("CHƯA ĐẠT", ASSESSMENT, ("Chưa đạt", True, "choice-case")),
    (f"Chưa{NBSP}đạt", ASSESSMENT, ("Chưa đạt", True, "choice-case")),
    ("Chu\u031ba đa\u0323t", ASSESSMENT, ("Chưa đạt", True, "choice-case")),  # NFD
    # Legacy fonts.
    ("§¹t", ASSESSMENT, ("Đạt", True, "text-tcvn3")),
    ("Ch\xada ®¹t", ASSESSMENT, ("Chưa đạt", True, "text-tcvn3")),
    ("Ñaït", ASSESSMENT, ("Đạt", True, "text-vni")),
    ("Chöa ñaït", ASSESSMENT, ("Chưa đạt", True, "text-vni")),
    # Not in the list: never a substring match, never a guess.
    ("x", ASSESSMENT, (None, False, "not-in-list")),
    ("Có", ASSESSMENT, (None, False, "not-in-list")),
    ("Đạt yêu cầu", ASSESSMENT, (None, False, "not-in-list")),
    ("chưa", ASSESSMENT, (None, False, "not-in-list")),
    ("Không đạt", ASSESSMENT, (None, False, "not-in-list")),
    (True, ASSESSMENT, (None, False, "not-in-list")),
    (1, ASSESSMENT, (None, False, "not-in-list")),
    # Other lists.
    ("có", APPLIES, ("Có", True, "choice-case")),
    ("co", APPLIES, ("Có", True, "choice-case")),
    ("khong thuoc", APPLIES, ("Không thuộc", True, "choice-case")),
    ("Không", APPLIES, (None, False, "not-in-list")),
    ("x", ("x", "Có"), ("x", True, None)),
    ("X", ("x", "Có"), ("x", True, "choice-case")),
    # Numbers as choices (OCOP stars).
    (3, STARS, ("3", True, None)),
    (4.0, STARS, ("4", True, None)),
    ("5", STARS, ("5", True, None)),
    (" 5 ", STARS, ("5", True, "choice-case")),
    ("3,0", STARS, ("3", True, "choice-case")),
    (6, STARS, (None, False, "not-in-list")),
    ("3 sao", STARS, (None, False, "not-in-list")),
    # Two entries equal once diacritics are dropped: a loose match is refused.
    ("co", ("Có", "Cỏ"), (None, False, "choice-ambiguous")),
    ("Cỏ", ("Có", "Cỏ"), ("Cỏ", True, None)),
    ("CÓ", ("Có", "Cỏ"), ("Có", True, "choice-case")),
]


@pytest.mark.parametrize(("raw", "choices", "exp"), CHOICE_CASES)
def test_parse_choice(raw: object, choices: tuple[str, ...], exp: tuple) -> None:
    got = parse_choice(raw, choices)
    assert triple(got) == exp


def test_not_in_list_note_lists_allowed_values() -> None:
    got = parse_choice("xyz", ASSESSMENT).note or ""
    assert "Đạt / Chưa đạt" in got


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------

# raw, exp (value, ok, code)
TEXT_CASES = [
    (None, (None, True, None)),
    ("", (None, True, None)),
    ("   ", (None, True, None)),
    ("\u200b\ufeff", (None, True, None)),
    ("Xã Thọ Thanh", ("Xã Thọ Thanh", True, None)),
    ("Thôn 1", ("Thôn 1", True, None)),
    ("UBND xã", ("UBND xã", True, None)),
    ("=1+1", ("=1+1", True, None)),
    ("Dòng 1\nDòng 2", ("Dòng 1\nDòng 2", True, None)),
    # Spaces and invisible characters.
    ("  Thôn  Đồng   Tâm ", ("Thôn Đồng Tâm", True, "text-space")),
    (f"Thôn{NBSP}1", ("Thôn 1", True, "text-space")),
    (f"Thôn{NNBSP}1", ("Thôn 1", True, "text-space")),
    ("Thôn\t1", ("Thôn 1", True, "text-space")),
    ("Th\u200bôn 1", ("Thôn 1", True, "text-space")),
    ("\ufeffThôn 1", ("Thôn 1", True, "text-space")),
    ("Thô\u00adn 1", ("Thôn 1", True, "text-space")),
    ("Dòng 1 \r\n  Dòng 2", ("Dòng 1\nDòng 2", True, "text-space")),
    ("a\n\n\n\nb", ("a\n\nb", True, "text-space")),
    # NFD from a Mac or a web page.
    ("Xa\u0303 Tho\u0323 Thanh", ("Xã Thọ Thanh", True, "text-nfc")),
    ("Đa\u0323t", ("Đạt", True, "text-nfc")),
    (" Xa\u0303  Tho\u0323 ", ("Xã Thọ", True, "text-nfc")),
    # TCVN3 (ABC, .VnTime).
    ("X· Thä Thanh", ("Xã Thọ Thanh", True, "text-tcvn3")),
    ("Th«n 1", ("Thôn 1", True, "text-tcvn3")),
    ("§¹t", ("Đạt", True, "text-tcvn3")),
    ("§¹T", ("ĐẠT", True, "text-tcvn3")),
    ("UBND X· THä THANH", ("UBND XÃ THỌ THANH", True, "text-tcvn3")),
    ("B¶o Th¾ng", ("Bảo Thắng", True, "text-tcvn3")),
    ("M\xadêng Kh\xad¬ng", ("Mường Khương", True, "text-tcvn3")),
    ("  X·  Thä Thanh ", ("Xã Thọ Thanh", True, "text-tcvn3")),
    ("Nhµ v¨n hãa th«n", ("Nhà văn hóa thôn", True, "text-tcvn3")),
    # VNI (VNI-Times).
    ("Xaõ Thoï Thanh", ("Xã Thọ Thanh", True, "text-vni")),
    ("Ñaït", ("Đạt", True, "text-vni")),
    ("Chöa ñaït", ("Chưa đạt", True, "text-vni")),
    ("Xin chaøo caùc baïn", ("Xin chào các bạn", True, "text-vni")),
    ("Vieät Nam", ("Việt Nam", True, "text-vni")),
    ("VIEÄT NAM", ("VIỆT NAM", True, "text-vni")),
    ("Thöôøng Xuaân", ("Thường Xuân", True, "text-vni")),
    ("Xaõ Thoï\u00ad  Thanh", ("Xã Thọ Thanh", True, "text-vni")),
    # Not text.
    (15, ("15", True, None)),
    (2.5, ("2.5", True, None)),
    (15.0, ("15", True, None)),
    (True, (None, False, "not-text")),
    (date(2024, 6, 30), (None, False, "not-text")),
]


@pytest.mark.parametrize(("raw", "exp"), TEXT_CASES)
def test_clean_text(raw: object, exp: tuple) -> None:
    got = clean_text(raw)
    assert triple(got) == exp


# raw, exp
FOLD_CASES = [
    ("Xã Thọ Thanh", "xa tho thanh"),
    ("  XÃ   THỌ THANH ", "xa tho thanh"),
    ("Đồng Tâm", "dong tam"),
    ("Chưa đạt", "chua dat"),
    ("Xa\u0303 Tho\u0323", "xa tho"),
    (f"Thôn{NBSP}1", "thon 1"),
    ("Ðạt", "dat"),
    ("Nghĩa\u200b Đàn", "nghia dan"),
    ("", ""),
]


@pytest.mark.parametrize(("raw", "exp"), FOLD_CASES)
def test_fold(raw: str, exp: str) -> None:
    got = fold(raw)
    assert got == exp


# ---------------------------------------------------------------------------
# Every result: codes known, notes Vietnamese NFC, note iff code
# ---------------------------------------------------------------------------

ALL_RESULTS = (
    [("number", raw, {}, parse_number(raw)) for raw, _ in NUMBER_CASES]
    + [("number", raw, {"percent": True}, parse_number(raw, percent=True)) for raw, _ in PERCENT_CASES]
    + [("number", raw, {"integer": True}, parse_number(raw, integer=True)) for raw, _ in INTEGER_CASES]
    + [("choice", raw, {"choices": ch}, parse_choice(raw, ch)) for raw, ch, _ in CHOICE_CASES]
    + [("text", raw, {}, clean_text(raw)) for raw, _ in TEXT_CASES]
)


def _rerun(kind: str, value: object, options: dict) -> Parsed:
    if kind == "number":
        return parse_number(value, **options)
    if kind == "choice":
        return parse_choice(value, options["choices"])
    return clean_text(value)


@pytest.mark.parametrize(("kind", "raw", "options", "got"), ALL_RESULTS)
def test_result_shape(kind: str, raw: object, options: dict, got: Parsed) -> None:
    assert (got.note is None) == (got.code is None)
    assert got.code is None or got.code in NOTE_CODES
    if not got.ok:
        assert got.value is None and got.note
    if got.note is not None:
        assert unicodedata.is_normalized("NFC", got.note)


def test_note_codes_titles_are_vietnamese_nfc() -> None:
    for code, title in NOTE_CODES.items():
        assert code == code.lower() and " " not in code
        assert unicodedata.is_normalized("NFC", title) and title


def _is_small_percentage(options: dict, got: Parsed) -> bool:
    return bool(options.get("percent")) and isinstance(got.value, float) and 0 < got.value < 1


# A genuine percentage below 1 ("0,5%" -> 0.5) is, read again without its % sign, a
# fraction: the one documented exception, see test_small_percentage_is_not_idempotent.
IDEMPOTENCE_CASES = [case for case in ALL_RESULTS if not _is_small_percentage(case[2], case[3])]


@pytest.mark.parametrize(("kind", "raw", "options", "got"), IDEMPOTENCE_CASES)
def test_idempotent(kind: str, raw: object, options: dict, got: Parsed) -> None:
    again = _rerun(kind, got.value, options)
    assert (again.value, again.ok, again.note) == (got.value, True, None)


def test_idempotence_exceptions_are_only_small_percentages() -> None:
    got = [case[1] for case in ALL_RESULTS if case not in IDEMPOTENCE_CASES]
    assert got == ["0,9%"]


def test_small_percentage_is_not_idempotent() -> None:
    first = parse_number("0,5%", percent=True)
    got = parse_number(first.value, percent=True)
    assert (first.value, got.value, got.code) == (0.5, 50.0, "percent-from-fraction")


# ---------------------------------------------------------------------------
# Legacy encodings: tables, round trips, no false alarms
# ---------------------------------------------------------------------------

TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
LOWER_LETTERS = [
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưy"
    for tone in TONES
    if base + tone not in "aeiouy"
] + ["đ"]
VIETNAMESE_LETTERS = LOWER_LETTERS + [letter.upper() for letter in LOWER_LETTERS]

UNICODE_TO_TCVN3 = {letter: code for code, letter in TCVN3_TO_UNICODE.items()}
UNICODE_TO_VNI = {letter: code for code, letter in VNI_TO_UNICODE.items()}


def to_tcvn3(text: str) -> str:
    """Encode like an ABC keyboard: upper-case toned vowels use the lower-case byte."""
    out = []
    for ch in text:
        code = UNICODE_TO_TCVN3.get(ch) or UNICODE_TO_TCVN3.get(ch.lower())
        out.append(code if code is not None else ch)
    return "".join(out)


def to_vni(text: str) -> str:
    return "".join(UNICODE_TO_VNI.get(ch, ch) for ch in text)


PHRASES = [
    "Xã Thọ Thanh",
    "Thôn Đồng Tâm",
    "Chưa đạt",
    "Đạt",
    "Nâng cao chất lượng giáo dục, y tế",
    "Huyện Thường Xuân, tỉnh Thanh Hóa",
    "Ủy ban nhân dân xã Thọ Thanh",
    "Ổn định sản xuất. Ứng dụng khoa học. Ấp Đông",
    "- Ủy viên Ban chỉ đạo\n- Ủy viên thường trực",
    "- Thành viên BCĐ XDNTM xã;",
    "Căn cứ QĐ 263/QĐ-TTg và NĐ 27/2022/NĐ-CP",
    "Báo cáo kết quả thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới",
    "6 tháng đầu năm 2024",
    "Tỷ lệ hộ gia đình sử dụng nước hợp vệ sinh",
    "Phát triển sản xuất gắn với tái cơ cấu ngành nông nghiệp",
    "Thôn 1 đạt 15/15 tiêu chí thôn nông thôn mới kiểu mẫu",
    "Sản phẩm OCOP dưa lưới đạt 3 sao",
    "Hệ thống chính trị và tiếp cận pháp luật",
    "Quốc phòng và An ninh",
    "Người lập biểu",
    "CHỦ TỊCH",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "UBND XÃ THỌ THANH",
]


def letter_word(letter: str) -> str:
    """A syllable holding the letter: "tà", "tăn", "đi"; upper case for upper-case letters."""
    low = letter.lower()
    if low == "đ":
        word = "đi"
    else:
        bare = "".join(c for c in unicodedata.normalize("NFD", low) if c not in TONES[1:])
        base = unicodedata.normalize("NFC", bare)
        word = "t" + low + ("n" if base in "ăâ" else "")
    return word.upper() if letter.isupper() else word


LETTER_PHRASES = [
    ("XÃ " if letter.isupper() else "Xã ") + letter_word(letter) for letter in VIETNAMESE_LETTERS
]


def test_there_are_134_letters() -> None:
    assert len(set(VIETNAMESE_LETTERS)) == 134


def test_tables_cover_every_letter() -> None:
    # VNI has every letter; TCVN3 every lower-case one and the upper-case untoned ones.
    assert sorted(VNI_TO_UNICODE.values()) == sorted(VIETNAMESE_LETTERS)
    exp = sorted(LOWER_LETTERS + list("ĂÂÊÔƠƯĐ"))
    assert sorted(TCVN3_TO_UNICODE.values()) == exp


# raw (TCVN3 as Excel shows it), exp: written out by hand, independent of the tables
KNOWN_TCVN3 = [
    ("X· Thä Thanh", "Xã Thọ Thanh"),
    ("Th«n §ång T©m", "Thôn Đồng Tâm"),
    ("Ch\xada ®¹t", "Chưa đạt"),
    ("HuyÖn Th\xadêng Xu©n", "Huyện Thường Xuân"),
    ("Nh©n d©n", "Nhân dân"),
]
# raw (VNI as Excel shows it), exp
KNOWN_VNI = [
    ("Xaõ Thoï Thanh", "Xã Thọ Thanh"),
    ("Thoân Ñoàng Taâm", "Thôn Đồng Tâm"),
    ("Chöa ñaït", "Chưa đạt"),
    ("Huyeän Thöôøng Xuaân", "Huyện Thường Xuân"),
    ("Vieät Nam", "Việt Nam"),
]


@pytest.mark.parametrize(("raw", "exp"), KNOWN_TCVN3)
def test_known_tcvn3(raw: str, exp: str) -> None:
    assert detect_legacy(raw) == "tcvn3"
    got = tcvn3_to_unicode(raw)
    assert got == exp
    assert to_tcvn3(exp) == raw


@pytest.mark.parametrize(("raw", "exp"), KNOWN_VNI)
def test_known_vni(raw: str, exp: str) -> None:
    assert detect_legacy(raw) == "vni"
    got = vni_to_unicode(raw)
    assert got == exp
    assert to_vni(exp) == raw


@pytest.mark.parametrize("phrase", PHRASES + LETTER_PHRASES)
def test_tcvn3_round_trip(phrase: str) -> None:
    raw = to_tcvn3(phrase)
    assert detect_legacy(raw) == "tcvn3"
    got = clean_text(raw)
    assert (got.value, got.code) == (phrase, "text-tcvn3")


@pytest.mark.parametrize("phrase", PHRASES + LETTER_PHRASES)
def test_vni_round_trip(phrase: str) -> None:
    raw = to_vni(phrase)
    assert detect_legacy(raw) == "vni"
    got = clean_text(raw)
    assert (got.value, got.code) == (phrase, "text-vni")


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_each_letter_decodes(letter: str) -> None:
    got = vni_to_unicode(to_vni(letter))
    assert got == letter
    # Upper-case toned TCVN3 vowels share the lower-case byte: case comes from the word,
    # and the first letter of a text is taken as capitalised.
    exp = "T" + letter + "N" if letter.isupper() else "t" + letter
    got = tcvn3_to_unicode(to_tcvn3(exp))
    assert got == exp
    got = tcvn3_to_unicode(to_tcvn3(letter.upper()))
    assert got == letter.upper()


def test_tcvn3_upper_case_limit() -> None:
    # A capitalised toned vowel inside a sentence cannot be told from a lower-case one:
    # TCVN3 has one byte for both.
    got = clean_text(to_tcvn3("Đồng chí Ủy viên")).value
    assert got == "Đồng chí ủy viên"
    # VNI has upper-case marks and keeps the case.
    got = clean_text(to_vni("Đồng chí Ủy viên")).value
    assert got == "Đồng chí Ủy viên"


@pytest.mark.parametrize("phrase", PHRASES + LETTER_PHRASES)
def test_converted_text_is_not_converted_again(phrase: str) -> None:
    assert detect_legacy(phrase) is None
    assert clean_text(phrase) == Parsed(phrase, True, None, None)


# Ordinary Unicode Vietnamese, many of them only Latin-1 letters (the risky ones: they are
# also valid TCVN3 or VNI characters), and ASCII. None may be detected as legacy text.
ORDINARY_WORDS = """
có là và cá mà nhà tôi không thôn xã hộ người đạt chưa năm tháng ngày kỳ báo cáo
Hòa Bình Cà Mau Tây Ninh Thái Bình Lào Cai Bình Định Bến Tre An Giang Cần Thơ Hà Nội
Thanh Hóa Thường Xuân Thọ Thanh Bát Mọt Yên Nhân Xuân Lẹ Vạn Xuân Lương Sơn Xuân Cao
Luận Thành Luận Khê Xuân Thắng Xuân Lộc Xuân Dương Ngọc Phụng Xuân Chinh Tân Thành
bê tông công trình tiêu chí giao thông thủy lợi điện trường học văn hóa thương mại
thông tin truyền thông nhà ở thu nhập nghèo đa chiều lao động tổ chức sản xuất
giáo dục đào tạo y tế môi trường an toàn thực phẩm hệ thống chính trị pháp luật
quốc phòng an ninh quy hoạch ngân sách trung ương địa phương tỉnh huyện vốn lồng ghép
tín dụng doanh nghiệp hợp tác xã cộng đồng dân cư tiền mặt ngày công hiện vật hiến đất
khác kế hoạch thực hiện lũy kế ghi chú nội dung đơn vị tính yêu cầu kết quả đánh giá
sản phẩm chủ thể số sao tình trạng mới nâng hạng hộ gia đình nước sạch rác thải
bảo hiểm phổ cập học sinh đi học đúng độ tuổi cuộc họp lượt người hàng rào nhà văn hóa
có không thuộc áp dụng kinh phí người lập điện thoại chủ tịch phó ký tên đóng dấu
mía cà phê lúa ngô sắn khoai lang bò lợn gà vịt cá trôi dưa lưới mật ong chè
tôi bạn anh chị em ông bà cô chú bác cháu con cái má mẹ ba bố
Hà Tĩnh Nghệ An Quảng Bình Quảng Trị Huế Đà Nẵng Quảng Nam Quảng Ngãi Phú Yên
Khánh Hòa Ninh Thuận Bình Thuận Kon Tum Gia Lai Đắk Lắk Lâm Đồng Bình Phước
Đồng Nai Bà Rịa Vũng Tàu Long An Tiền Giang Vĩnh Long Trà Vinh Sóc Trăng Bạc Liêu
Hà Giang Cao Bằng Bắc Kạn Tuyên Quang Thái Nguyên Lạng Sơn Quảng Ninh Bắc Giang
Phú Thọ Vĩnh Phúc Bắc Ninh Hải Dương Hưng Yên Nam Định Ninh Bình Sơn La Điện Biên
các bản mường làng ấp buôn sóc phum khu phố tổ dân phố tiểu khu
mái tóc ví dụ tô phở bún chả cơm tấm bánh mì cá kho
""".split() + [
    "Hòa Bình",
    "Cà Mau",
    "Tôi là",
    "Có",
    "Không thuộc",
    "Chưa đạt",
    "Đạt",
    "Tây Ninh",
    "Lào Cai",
    "Cà phê",
    "hôm nay",
    "má tôi",
    "Thôn Tân Hòa",
    "Thôn Bình Minh",
    "bê tông hóa",
    "Ông Lê Văn A",
    "Bà Trần Thị B",
    "« Có »",
    "«Xã»",
    "© 2024 Công ty",
    "a · b",
    "3×4 m",
    "½ ha",
    "25°C",
    "m²",
    "Café",
    "naïve",
    "Müller",
    "España",
    "Noël",
    "José",
    "Ñandú",
    "Hôtel",
    "façade",
    "Ærø",
    "abc",
    "UBND",
    "OCOP",
    "Thon 1",
    "Xa Tho Thanh",
    "Dat",
    "Chua dat",
    "x",
    "X",
    "N/A",
    "e-mail@xa.vn",
    "2024-H1",
    "QĐ 263/QĐ-TTg",
    "Phong Nong nghiep va PTNT",
    "Total: 1,234.5",
    "=SUM(A1:A3)",
    "The quick brown fox",
]


def test_ordinary_word_list_is_long_enough() -> None:
    assert len(ORDINARY_WORDS) >= 200


@pytest.mark.parametrize("text", ORDINARY_WORDS)
def test_ordinary_text_is_not_legacy(text: str) -> None:
    assert detect_legacy(text) is None
    got = clean_text(text)
    assert got.value == text and got.code is None


def test_ordinary_sentence_is_not_legacy() -> None:
    text = " ".join(ORDINARY_WORDS)
    assert detect_legacy(text) is None


def test_ambiguous_short_legacy_is_left_alone() -> None:
    # TCVN3 "cã" is "có", but "cã" is also a Unicode syllable: not converted.
    assert detect_legacy("cã") is None
    # "Löu" is TCVN3 "Lửu" and VNI "Lưu": both readings are Vietnamese, none is picked.
    assert detect_legacy("Löu: VT.") is None


def test_numpy_and_pandas_values() -> None:
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    assert triple(parse_number(np.float64(0.9), percent=True)) == (90.0, True, "percent-from-fraction")
    assert triple(parse_number(np.int64(7), integer=True)) == (7, True, None)
    assert triple(parse_number(np.bool_(True))) == (None, False, "not-a-number")
    assert triple(parse_number(np.float64("nan"))) == (None, True, None)
    assert triple(parse_choice(np.int64(3), STARS)) == ("3", True, None)
    for missing in (pd.NA, pd.NaT):
        assert parse_number(missing) == Parsed(None, True, None, None)
        assert parse_choice(missing, ASSESSMENT) == Parsed(None, True, None, None)
        assert clean_text(missing) == Parsed(None, True, None, None)
