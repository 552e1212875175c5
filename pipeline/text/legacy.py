"""Legacy 8-bit Vietnamese encodings (TCVN3/ABC and VNI): detect them and convert to Unicode.

Detection uses Vietnamese syllable structure, so ordinary text with accented Latin letters (a
French name, "café") is not mistaken for a legacy font.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import groupby
from typing import Literal

# ---------------------------------------------------------------------------
# Legacy encodings: TCVN3 (ABC) and VNI
# ---------------------------------------------------------------------------
#
# Before Unicode, Vietnamese was typed with 8-bit fonts. The keyboard driver sent bytes
# that the font drew as Vietnamese letters; Excel stored them as the Windows-1252
# characters of those bytes, so today they show as "X· Thä Thanh" (TCVN3) or
# "Xaõ Thoï Thanh" (VNI). Both tables below are complete for Vietnamese.

# Tone marks as Unicode combining characters, in the order of the tables below.
_HUYEN, _HOI, _NGA, _SAC, _NANG = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONES = (_HUYEN, _HOI, _NGA, _SAC, _NANG)

# TCVN3 (TCVN 5712:1993, VN3): one byte per letter. Per vowel: the untoned letter, then
# huyền, hỏi, ngã, sắc, nặng.
_TCVN3_VOWELS: dict[str, tuple[str, ...]] = {
    "a": ("a", "\xb5", "\xb6", "\xb7", "\xb8", "\xb9"),
    "ă": ("\xa8", "\xbb", "\xbc", "\xbd", "\xbe", "\xc6"),
    "â": ("\xa9", "\xc7", "\xc8", "\xc9", "\xca", "\xcb"),
    "e": ("e", "\xcc", "\xce", "\xcf", "\xd0", "\xd1"),
    "ê": ("\xaa", "\xd2", "\xd3", "\xd4", "\xd5", "\xd6"),
    "i": ("i", "\xd7", "\xd8", "\xdc", "\xdd", "\xde"),
    "o": ("o", "\xdf", "\xe1", "\xe2", "\xe3", "\xe4"),
    "ô": ("\xab", "\xe5", "\xe6", "\xe7", "\xe8", "\xe9"),
    "ơ": ("\xac", "\xea", "\xeb", "\xec", "\xed", "\xee"),
    "u": ("u", "\xef", "\xf1", "\xf2", "\xf3", "\xf4"),
    "ư": ("\xad", "\xf5", "\xf6", "\xf7", "\xf8", "\xf9"),
    "y": ("y", "\xfa", "\xfb", "\xfc", "\xfd", "\xfe"),
}
# VN3 has upper-case slots only for the untoned letters below. Upper-case toned vowels
# were typed with the same bytes as lower-case ones, in an upper-case font (.VnTimeH):
# the bytes of "Ọ" and "ọ" are the same, and only the font told them apart. See
# `tcvn3_to_unicode` for how case is restored.
_TCVN3_OTHERS = {
    "\xae": "đ",
    "\xa1": "Ă",
    "\xa2": "Â",
    "\xa3": "Ê",
    "\xa4": "Ô",
    "\xa5": "Ơ",
    "\xa6": "Ư",
    "\xa7": "Đ",
}


def _build_tcvn3() -> dict[str, str]:
    table = dict(_TCVN3_OTHERS)
    for base, codes in _TCVN3_VOWELS.items():
        table[codes[0]] = base
        for tone, code in zip(_TONES, codes[1:]):
            table[code] = unicodedata.normalize("NFC", base + tone)
    # "ý" is its own TCVN3 byte (0xFD) and stays in the table; plain a, e, i, o, u, y do not.
    return {code: letter for code, letter in table.items() if not code.isascii()}


#: TCVN3 character (as Excel shows it) -> Unicode letter: the 60 toned vowels (lower case),
#: ă â ê ô ơ ư đ and the upper-case Ă Â Ê Ô Ơ Ư Đ (74 entries).
TCVN3_TO_UNICODE: dict[str, str] = _build_tcvn3()
_TCVN3_UPPER_BASES = frozenset("\xa1\xa2\xa3\xa4\xa5\xa6\xa7")
_TCVN3_LOWER_BASES = frozenset("\xa8\xa9\xaa\xab\xac\xad\xae")
# Toned vowels: one byte for both cases.
_TCVN3_CASELESS = frozenset(TCVN3_TO_UNICODE) - _TCVN3_UPPER_BASES - _TCVN3_LOWER_BASES

# VNI (VNI-Windows): a vowel is its base letter followed by one mark character that draws
# the tone, and for â ê ô ă the hat or breve with it. Marks are the lower- or upper-case
# characters below, matching the case of the letter.
_VNI_TONE_MARKS = ("ø", "û", "õ", "ù", "ï")  # huyền, hỏi, ngã, sắc, nặng
_VNI_HAT_MARKS = ("â", "à", "å", "ã", "á", "ä")  # no tone, huyền, hỏi, ngã, sắc, nặng
_VNI_BREVE_MARKS = ("ê", "è", "ú", "ü", "é", "ë")
# i and the dotted y have one-character forms, as do ơ, ư and đ.
_VNI_SINGLES = {"ì": "ì", "æ": "ỉ", "ó": "ĩ", "í": "í", "ò": "ị", "î": "ỵ", "ô": "ơ", "ö": "ư", "ñ": "đ"}


def _build_vni() -> dict[str, str]:
    lower: dict[str, str] = dict(_VNI_SINGLES)
    for base in "aeouy":
        for tone, mark in zip(_TONES, _VNI_TONE_MARKS):
            lower[base + mark] = unicodedata.normalize("NFC", base + tone)
    for vni_base, base in (("ô", "ơ"), ("ö", "ư")):
        for tone, mark in zip(_TONES, _VNI_TONE_MARKS):
            lower[vni_base + mark] = unicodedata.normalize("NFC", base + tone)
    for base, hat in (("a", "â"), ("e", "ê"), ("o", "ô")):
        for tone, mark in zip(("",) + _TONES, _VNI_HAT_MARKS):
            lower[base + mark] = unicodedata.normalize("NFC", hat + tone)
    for tone, mark in zip(("",) + _TONES, _VNI_BREVE_MARKS):
        lower["a" + mark] = unicodedata.normalize("NFC", "ă" + tone)
    # The dotted y is the single "î", not "y" + "ï".
    del lower["y" + _VNI_TONE_MARKS[4]]
    table = dict(lower)
    table.update({code.upper(): letter.upper() for code, letter in lower.items()})
    return table


#: VNI character or pair (as Excel shows it) -> Unicode letter; all 134 letters.
VNI_TO_UNICODE: dict[str, str] = _build_vni()

_LEGACY_CHARS: dict[str, frozenset[str]] = {
    "tcvn3": frozenset(TCVN3_TO_UNICODE),
    "vni": frozenset("".join(VNI_TO_UNICODE)),
}


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 (ABC) text to Unicode: "X· Thä Thanh" -> "Xã Thọ Thanh".

    Case of toned vowels: TCVN3 has no upper-case toned vowels (see `_TCVN3_OTHERS`), so
    they are restored from the context, in this order:
    - a word that is evidently upper case is upper case: at least two surely upper-case
      letters and no surely lower-case one ("§¹T" -> "ĐẠT"), or any word without a lower-
      case letter in a text that is all upper case ("UBND X·" -> "UBND XÃ");
    - a word starting with a toned vowel at the start of a sentence (start of the text or
      of a line, after a bullet or numbering, or after ". ", "! ", "? ") is capitalised
      ("ñy ban" -> "Ủy ban"), since official Vietnamese writing capitalises there;
    - otherwise toned vowels are lower case.
    Known limits: a capitalised word inside a sentence ("§ång chÝ ñy viªn" gives "Đồng chí
    ủy viên", not "Ủy viên"), and text typed all in lower-case keys with the .VnTimeH font
    (which draws everything upper case), which comes out lower case.
    """
    upper, lower = _tcvn3_case_counts(text)
    text_is_caps = upper >= 2 and lower == 0
    out: list[str] = []
    for is_word, run in groupby(text, key=lambda ch: _is_word_char(ch, "tcvn3")):
        chunk = "".join(run)
        converted = "".join(TCVN3_TO_UNICODE.get(ch, ch) for ch in chunk)
        if is_word:
            word_upper, word_lower = _tcvn3_case_counts(chunk)
            if word_lower == 0 and (word_upper >= 2 or text_is_caps):
                converted = converted.upper()
            elif chunk[0] in _TCVN3_CASELESS and _SENTENCE_START.search("".join(out)):
                converted = converted[0].upper() + converted[1:]
        out.append(converted)
    return "".join(out)


# Text before a word that starts a sentence: nothing, a line break, ". " etc., then maybe
# a bullet or a numbering ("- ", "+ ", "1. ", "2) ").
_SENTENCE_START = re.compile(r"(?:^|\n|[.!?]\s)[\s\-+*•–—\d.)]*$")


def _tcvn3_case_counts(text: str) -> tuple[int, int]:
    """How many letters of a TCVN3 text are surely upper case and surely lower case."""
    upper = sum(1 for ch in text if "A" <= ch <= "Z" or ch in _TCVN3_UPPER_BASES)
    lower = sum(1 for ch in text if "a" <= ch <= "z" or ch in _TCVN3_LOWER_BASES)
    return upper, lower


def vni_to_unicode(text: str) -> str:
    """Convert VNI text to Unicode: "Xaõ Thoï Thanh" -> "Xã Thọ Thanh"."""
    out = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in VNI_TO_UNICODE:
            out.append(VNI_TO_UNICODE[pair])
            i += 2
        else:
            out.append(VNI_TO_UNICODE.get(text[i], text[i]))
            i += 1
    return "".join(out)


def _decode_plain(text: str, encoding: str) -> str:
    """Decode without restoring case (case does not matter for detection)."""
    if encoding == "tcvn3":
        return "".join(TCVN3_TO_UNICODE.get(ch, ch) for ch in text)
    return vni_to_unicode(text)


def detect_legacy(text: str) -> Literal["tcvn3", "vni"] | None:
    """Say whether ``text`` was typed in TCVN3 or VNI; None when unsure or when it is Unicode.

    Conservative by design: a false alarm would damage good text. The text qualifies for an
    encoding only if every letter in it could come from that encoding. Then each word that
    the encoding would change is judged with Vietnamese spelling (see `_is_syllable`):
    a word that is not Vietnamese as it stands but becomes a Vietnamese syllable once
    decoded ("Thä" -> "Thọ") is evidence; a word that decodes to something that is not a
    syllable counts against; a word that is a syllable both ways ("Có" / "Cú") proves
    nothing. Plain ASCII, Unicode Vietnamese (always a syllable as it stands) and text
    with letters outside the encoding (ạ, ơ, đ …) are never detected. A short text whose
    every word reads both ways (TCVN3 "cã" is "có", but also the Unicode syllable "cã")
    stays undetected: a known limit.
    """
    if text.isascii():
        return None
    scores: dict[str, int] = {}
    for encoding in ("tcvn3", "vni"):
        score = _legacy_score(text, encoding)
        if score is None:
            continue
        evidence, against = score
        # One stray word (a name, a typo) may fail to decode in a long legacy text;
        # it takes four good words to outweigh it.
        if evidence >= max(1, 4 * against):
            scores[encoding] = evidence
    if not scores:
        return None
    # When both readings are plausible, one must have at least twice the evidence of the
    # other; otherwise ("Löu" is TCVN3 "Lửu" and VNI "Lưu") we do not pick one.
    best = max(scores, key=lambda enc: scores[enc])
    if any(scores[best] < 2 * score for enc, score in scores.items() if enc != best):
        return None
    return best  # type: ignore[return-value]


def _legacy_score(text: str, encoding: str) -> tuple[int, int] | None:
    """(evidence, against) for one encoding; None if a letter rules the encoding out."""
    chars = _LEGACY_CHARS[encoding]
    for ch in text:
        if ch.isascii() or ch in chars:
            continue
        if ch.isalpha() or unicodedata.combining(ch):
            return None
    evidence = against = 0
    for is_word, run in groupby(text, key=lambda ch: _is_word_char(ch, encoding)):
        if not is_word:
            continue
        word = "".join(run)
        decoded = _decode_plain(word, encoding)
        # A lone mark or symbol ("·", "×", "½") says nothing either way.
        if decoded == word or sum(ch.isalpha() for ch in decoded) < 2:
            continue
        if not _is_syllable(decoded):
            # Upper-case abbreviations ("BC§" is "BCĐ", "Q§" is "QĐ") are not syllables
            # but are normal in official text: they count neither way.
            if not _is_caps_word(word, encoding):
                against += 1
        elif not _is_syllable(word):
            evidence += 1
    return evidence, against


def _is_caps_word(word: str, encoding: str) -> bool:
    """At least two letters that are surely upper case, and none surely lower case."""
    if encoding == "tcvn3":
        upper, lower = _tcvn3_case_counts(word)
    else:
        upper = sum(ch.isupper() for ch in word)
        lower = sum(ch.islower() for ch in word)
    return upper >= 2 and lower == 0


def _is_word_char(ch: str, encoding: str) -> bool:
    return ch.isalpha() or ch in _LEGACY_CHARS[encoding] or unicodedata.combining(ch) > 0


# ---------------------------------------------------------------------------
# Vietnamese syllables
# ---------------------------------------------------------------------------
#
# A written Vietnamese syllable is onset + rime, with at most one tone mark, placed by
# fixed rules. Checking this is what lets `detect_legacy` tell "Thä" (not Vietnamese)
# from "Thọ" (Vietnamese) without a dictionary.

_ONSETS = (
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
)  # fmt: skip
_RIMES = frozenset(
    """
    a ac ach ai am an ang anh ao ap at au ay
    ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et
    ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
    o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt
    oc oe oen oeo oet oi om on ong ooc oong op ot
    ô ôc ôi ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt
    u ua uân uâng uât uây uc uê uêch uênh ui um un ung uơ uôc uôi uôm uôn uông uôt
    up ut uy uya uych uyên uyêt uynh uyp uyt uyu
    ư ưa ưc ưi ưm ưn ưng ươc ươi ươm ươn ương ươp ươt ươu ưt ưu
    y yêm yên yêt yêu
    """.split()
)
_CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t")
_STOP_CODAS = frozenset({"c", "ch", "p", "t"})
_LETTERS = frozenset("abcdđeêghiklmnoôơpqrstuưvxyăâ")
_MARKED_VOWELS = frozenset("ăâêôơư")
# Without a coda, these take the tone on either vowel: "hòa"/"hoà", "khỏe"/"khoẻ", "thúy"/"thuý".
_FREE_TONE_PAIRS = frozenset({"oa", "oe", "uy"})


def _is_syllable(word: str) -> bool:
    """True when ``word`` (any case) is a well-formed Vietnamese syllable."""
    parts = _split_tone(word.lower())
    if parts is None:
        return False
    letters, tone, tone_at = parts
    for onset in _ONSETS:
        rime = letters[len(onset) :]
        if not letters.startswith(onset) or rime not in _RIMES or not _spelling_ok(onset, rime):
            continue
        coda = next((c for c in _CODAS if rime.endswith(c) and len(rime) > len(c)), "")
        if tone is None:
            if coda not in _STOP_CODAS:
                return True
            continue
        # Syllables ending in p, t, c, ch take only the sắc or nặng tone.
        if coda in _STOP_CODAS and tone not in (_SAC, _NANG):
            continue
        nucleus = rime[: len(rime) - len(coda)]
        if tone_at - len(onset) in _tone_places(nucleus, coda):
            return True
    return False


def _split_tone(word: str) -> tuple[str, str | None, int] | None:
    """ "thọ" -> ("tho", nặng, 2); None for a non-letter or a second tone mark."""
    letters: list[str] = []
    tone: str | None = None
    tone_at = -1
    for ch in word:
        parts = unicodedata.normalize("NFD", ch)
        marks = [m for m in parts if m in _TONES]
        letter = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES))
        if letter not in _LETTERS or len(marks) > 1 or (marks and tone is not None):
            return None
        if marks:
            tone, tone_at = marks[0], len(letters)
        letters.append(letter)
    return "".join(letters), tone, tone_at


def _spelling_ok(onset: str, rime: str) -> bool:
    """Vietnamese spelling: "ca", "ke", "ghi", "nga", "quê"; never "ce", "ka", "ghe" with a …"""
    first = rime[0]
    front = first in "eêiy"
    if onset == "k":
        return front
    if onset in ("c", "ng"):
        return not front
    if onset in ("gh", "ngh"):
        return first in "eêi"
    if onset == "g":
        return first not in "eê"
    if onset == "gi":
        return first != "i"
    if onset == "qu":
        return first not in "uư"
    return True


def _tone_places(nucleus: str, coda: str) -> set[int]:
    """Positions in the vowel nucleus where the tone mark may stand."""
    marked = [i for i, ch in enumerate(nucleus) if ch in _MARKED_VOWELS]
    if marked:
        return {marked[-1]}  # "ướ" in "người": the last of ư, ơ
    size = len(nucleus)
    if size == 1:
        return {0}
    if coda:
        return {size - 1}  # "oán", "uýt"
    places = {size - 2}  # "mái", "của", "ngoài"
    if nucleus in _FREE_TONE_PAIRS:
        places.add(size - 1)
    return places
