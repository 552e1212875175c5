"""The district's narrative report, drafted as a Word file (BaoCao_NTM_<Huyện>_<kỳ>.docx).

``write_narrative(facts, path)`` renders the facts of ``pipeline.district.narrative`` (computed
there, never here) into sentences, in the official format of Nghị định 30/2020/NĐ-CP: A4 portrait,
Times New Roman 14, margins 20/20/30/15 mm, quốc hiệu and tiêu ngữ, issuing body, số/ký hiệu left for
the clerk, place and date line, nơi nhận and signature block, headings numbered as the communes'
report. The wording lives in ``templates/loi_van_bao_cao.toml``, which a district edits to its own
style; what is missing from the communes' data is left as a marked "[…]" for the clerk, never made up.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import cast

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from pipeline.config.paths import TEMPLATES_ROOT
from pipeline.core.values import is_number
from pipeline.district.narrative import CriteriaFacts, NarrativeFacts
from pipeline.text.names import split_unit_prefix
from pipeline.text.numbers import vn_count, vn_number, vn_percent

__all__ = ["write_narrative", "WORDING_PATH", "FONT", "FONT_SIZE", "MARGINS_MM"]

WORDING_PATH = TEMPLATES_ROOT / "loi_van_bao_cao.toml"
FONT = "Times New Roman"
FONT_SIZE = 14
#: Nghị định 30/2020, Phụ lục I: top 20–25, bottom 20–25, left 30–35, right 15–20 mm.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
SAMPLE_RED = RGBColor(0xC0, 0x00, 0x00)
#: How many of the least-met criteria the report names.
WEAKEST = 3
#: A sentence names at most this many units, a list shows at most this many lines; the rest is
#: counted and left to the summary workbook (a province has hundreds of communes).
MAX_NAMED = 30
#: Units not consolidated are named in section I; later sections name them again up to this many.
NAMED_AGAIN = 3
MAX_LISTED = 40


def write_narrative(facts: NarrativeFacts, path: Path, wording: Path = WORDING_PATH,
                    created: datetime | None = None) -> Path:
    """Write the drafted report of ``facts`` to ``path`` (a .docx).

    A wording file the clerk broke does not stop the run: the document then says what to fix (and
    so does the console), and every other output is written as usual.
    """
    try:
        w = Wording.load(wording)
    except WordingError as exc:
        print(f"Cảnh báo: {exc}", file=sys.stderr)
        doc = Document()
        doc.add_paragraph(str(exc))
        doc.save(str(path))
        return Path(path)
    doc = _new_document(facts, w)
    if created is not None:  # the same run input gives the same file
        doc.core_properties.created = created
        doc.core_properties.modified = created
    doc.core_properties.title = w("chung.trich_yeu", ky=facts.period.label,
                                  ky_toi=facts.next_period_label)
    doc.core_properties.author = facts.office
    _Report(doc, facts, w).write()
    doc.save(str(path))
    return Path(path)


# Wording


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, **values: object) -> str:
    """``text`` with its {placeholders} filled; unknown ones stay, broken braces leave it as is."""
    try:
        return text.format_map(_Keep(values))
    except (ValueError, IndexError, AttributeError, KeyError):
        return text


class WordingError(Exception):
    """The wording file cannot be read (Vietnamese message for the clerk)."""


class Wording:
    """The sentences of ``loi_van_bao_cao.toml``: ``w("section.key", name=value)``.

    A key the clerk deleted reads as a visible "[thiếu lời văn …]" mark, and a sentence whose
    braces no longer match is used as written: the draft is still made, and shows where to look.
    """

    def __init__(self, data: dict) -> None:
        self.data = data

    @classmethod
    def load(cls, path: Path) -> Wording:
        try:
            return cls(tomllib.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise WordingError(
                f"Không đọc được tệp lời văn báo cáo {path} ({exc}). Bản dự thảo báo cáo chưa được "
                f"viết. Sửa tệp đó (giữ cặp ngoặc kép \"...\" ở mỗi dòng, lưu mã UTF-8) rồi chạy "
                f"lại.") from exc

    def raw(self, key: str) -> object:
        section, _, name = key.partition(".")
        value = self.data.get(section, {}).get(name)
        return f"[thiếu lời văn “{key}”]" if value is None else value

    def has(self, key: str) -> bool:
        section, _, name = key.partition(".")
        return name in self.data.get(section, {})

    def __call__(self, key: str, **values: object) -> str:
        return fill(str(self.raw(key)), **values)

    def counted(self, key: str, n: int, **values: object) -> str:
        """The ``_khong`` / ``_mot`` / ``_nhieu`` form of ``key`` for a count ``n``."""
        suffix = "_khong" if n == 0 else "_mot" if n == 1 else "_nhieu"
        if not self.has(key + suffix):
            suffix = "_nhieu"
        return self(key + suffix, so=count(n), **values)


# Numbers and names in sentences


def count(n: int) -> str:
    """A count of units as official reports write it: 01 … 09, then 10, 1.234."""
    n = int(n)
    return f"0{n}" if 0 < n < 10 else vn_count(n)


def unit_name(name: str) -> str:
    """A unit named inside a sentence: "Xã Thọ Thanh" → "xã Thọ Thanh"."""
    kind, rest = split_unit_prefix(name)
    return f"{kind.lower()} {rest}" if kind else name


def join(items: Iterable[str]) -> str:
    """"A", "A và B", "A, B và C"."""
    items = [i for i in items if i]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} và {items[-1]}"


def units(names: Iterable[str]) -> str:
    """Units named in a sentence, at most ``MAX_NAMED`` of them, the others counted."""
    names = list(names)
    if len(names) > MAX_NAMED:
        shown = ", ".join(unit_name(n) for n in names[:MAX_NAMED])
        return f"{shown} và {count(len(names) - MAX_NAMED)} đơn vị khác (xem bảng tổng hợp)"
    return join(unit_name(n) for n in names)


def money(value: object) -> str:
    return vn_number(value, 1)


def percent(value: object) -> str:
    return vn_percent(value, 1) if is_number(value) else "[…]"


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# The document frame (Nghị định 30/2020)


def _new_document(facts: NarrativeFacts, w: Wording):
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    normal = doc.styles["Normal"]
    _set_font(normal, FONT_SIZE)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.1
    for level in range(1, 5):
        style = doc.styles[f"Heading {level}"]
        _set_font(style, FONT_SIZE, bold=True)
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(6), Pt(6)
        style.paragraph_format.keep_with_next = True
        if level > 1:
            style.paragraph_format.first_line_indent = Cm(1)
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        else:
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Page numbers at the top centre from page 2 (Nghị định 30/2020, Phụ lục I, mục II.11).
    section.different_first_page_header_footer = True
    if facts.used_samples:  # page 1 says it above the heading block
        _sample_line(section.header.add_paragraph(), w)
    _page_number(section.header.paragraphs[0])
    return doc


def _set_font(style, size: int, bold: bool | None = None) -> None:
    font = style.font
    font.name, font.size = FONT, Pt(size)
    font.color.rgb = RGBColor(0, 0, 0)
    font.italic = False
    if bold is not None:
        font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _page_number(paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _sample_line(paragraph, w: Wording) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(w("chung.du_lieu_mau"))
    run.bold, run.font.color.rgb, run.font.size = True, SAMPLE_RED, Pt(12)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _frame_table(doc, widths: Sequence, indent=None) -> list:
    """A borderless one-row table of fixed column widths (heading block, signature block).

    The heading block is a little wider than the text (``indent`` < 0), as in the decree's
    samples, so that the quốc hiệu stays on one line.
    """
    table = doc.add_table(rows=1, cols=len(widths))
    table.autofit = False
    _no_borders(table)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    if indent is not None:
        ind = OxmlElement("w:tblInd")
        ind.set(qn("w:w"), str(indent.twips))
        ind.set(qn("w:type"), "dxa")
        table._tbl.tblPr.append(ind)
    else:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths):
        column.width = cell.width = width
    return list(table.rows[0].cells)


def _cell_lines(cell, lines: Sequence[tuple[str, dict]]) -> None:
    """Write ``lines`` (text, run options) into a table cell, centred, one paragraph each."""
    cell.paragraphs[0].text = ""
    for i, (text, opts) in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.first_line_indent = Cm(0)
        run = p.add_run(text)
        run.bold = opts.get("bold", False)
        run.italic = opts.get("italic", False)
        run.underline = opts.get("underline", False)
        run.font.size = Pt(opts.get("size", 13))


# The report


class _Report:
    def __init__(self, doc, facts: NarrativeFacts, w: Wording) -> None:
        self.doc, self.f, self.w = doc, facts, w
        self.previous_year = facts.period.year - 1

    def write(self) -> None:
        self.heading_block()
        self.part_one()
        self.part_two()
        self.closing()

    # Paragraph helpers

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(text, level=level)

    def para(self, text: str, *, indent: bool = True, italic: bool = False,
             align=WD_ALIGN_PARAGRAPH.JUSTIFY) -> None:
        p = self.doc.add_paragraph()
        p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Cm(1)
        run = p.add_run(text)
        run.italic = italic

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            self.para(item if item.startswith(("-", "+")) else f"- {item}")

    def listed(self, items: Sequence[tuple[str, str]]) -> None:
        """One line per commune: "- Xã A: …;", the last ending with a full stop."""
        items, more = items[:MAX_LISTED], len(items) - MAX_LISTED
        for i, (name, text) in enumerate(items):
            last = i == len(items) - 1 and more <= 0
            self.para(f"- {name}: {_end(text, '')}" + ("." if last else ";"))
        self.more(more)

    def more(self, more: int) -> None:
        if more > 0:
            self.para(f"- … và {count(more)} đơn vị khác (xem bảng tổng hợp).")

    def by_unit(self, groups: Sequence[tuple[str, Sequence[str]]], empty_key: str | None) -> None:
        """Texts gathered from the communes, each under its commune ("- Xã A: …." for one item,
        "- Xã A:" then "+ …;" lines for several), or the clerk's placeholder."""
        if not groups:
            if empty_key:
                self.para(self.w(empty_key))
            return
        for name, items in groups[:MAX_LISTED]:
            self.unit_items(name, items)
        self.more(len(groups) - MAX_LISTED)

    def unit_items(self, name: str, items: Sequence[str]) -> None:
        if len(items) == 1:
            self.para(f"- {name}: {_end(items[0])}")
            return
        self.para(f"- {name}:")
        for i, item in enumerate(items):
            self.para(f"+ {_bare(item)}" + ("." if i == len(items) - 1 else ";"))

    # Heading block: issuing body, quốc hiệu, số, date; title

    def heading_block(self) -> None:
        f, w = self.f, self.w
        if f.used_samples:
            _sample_line(self.doc.paragraphs[0] if self.doc.paragraphs else self.doc.add_paragraph(), w)
        left, right = _frame_table(self.doc, (Cm(7.3), Cm(9.9)), indent=Cm(-0.35))
        _cell_lines(left, [(f.authority, {"size": 12}), (f.office, {"bold": True, "size": 12}),
                           ("―――――", {"size": 8}), (w("chung.so_ky_hieu"), {})])
        _cell_lines(right, [(w("chung.quoc_hieu"), {"bold": True, "size": 12}),
                            (w("chung.tieu_ngu"), {"bold": True, "size": 13}),
                            ("――――――――――", {"size": 8}),
                            (w("chung.ngay_thang", dia_danh=f.place, nam=f.period.year),
                             {"italic": True, "size": 14})])
        title = self.doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_before = Pt(18)
        title.paragraph_format.space_after = Pt(0)
        title.add_run(w("chung.ten_loai")).bold = True
        subject = self.doc.add_paragraph()
        subject.alignment = WD_ALIGN_PARAGRAPH.CENTER
        subject.add_run(w("chung.trich_yeu", ky=f.period.label, ky_toi=f.next_period_label)).bold = True
        self.para(w("chung.mo_dau", co_quan=f.issuer, ky=f.period.label,
                    don_vi=f.registry_name[:1].lower() + f.registry_name[1:]))

    # Phần thứ nhất

    def part_one(self) -> None:
        w = self.w
        self.heading(w("muc.phan_1"), 1)
        self.heading(w("muc.phan_1_ten"), 1)
        self.situation()
        self.leadership()
        self.heading(w("muc.ket_qua"), 2)
        self.components()
        self.criteria()
        self.villages()
        self.ocop()
        self.resources()
        self.indicators()
        self.heading(w("muc.danh_gia"), 2)
        self.heading(w("muc.noi_bat"), 3)
        self.by_unit(self.f.texts.get("highlights", []), "danh_gia.noi_bat")
        self.heading(w("muc.han_che"), 3)
        self.by_unit(self.f.texts.get("difficulties", []), "danh_gia.khong")
        self.heading(w("muc.nguyen_nhan"), 3)
        self.by_unit(self.f.texts.get("causes", []), "danh_gia.khong")

    def situation(self) -> None:
        f, w, c = self.f, self.w, self.f.coverage
        self.heading(w("muc.dac_diem"), 2)
        lines = [w("dac_diem.tong", cap=f.scope, so_dv=count(c.total), so_dung=count(len(c.used)))]
        if not (c.missing or c.refused or c.partial) and len(c.used) == c.total:
            lines.append(w("dac_diem.du"))
        if c.missing:
            lines.append(w.counted("dac_diem.chua_nop", len(c.missing), ten_xa=units(c.missing)))
        if c.refused:
            lines.append(w.counted("dac_diem.loi_file", len(c.refused), ten_xa=units(c.refused)))
        if c.partial:
            lines.append(w.counted("dac_diem.loi_so_lieu", len(c.partial), ten_xa=units(c.partial)))
        self.para(" ".join(lines))
        self.para(w("dac_diem.tinh_hinh", don_vi=f.scope))

    def leadership(self) -> None:
        w = self.w
        self.heading(w("muc.chi_dao"), 2)
        self.heading(w("muc.chi_dao_1"), 3)
        self.by_unit(self.f.texts.get("leadership", []), "chi_dao.khong")
        self.heading(w("muc.chi_dao_2"), 3)
        meetings, attendees = self.f.outreach
        if meetings and is_number(meetings.value) and meetings.value > 0:
            self.para(w("chi_dao.tuyen_truyen", so_cuoc=vn_count(meetings.value),
                        dvt_cuoc=meetings.unit, so_luot=vn_count(attendees.value or 0)
                        if attendees and is_number(attendees.value) else "[…]",
                        dvt_luot=attendees.unit if attendees else ""))
        elif not self.f.texts.get("outreach"):
            self.para(w("chi_dao.tuyen_truyen_khong"))
        self.by_unit(self.f.texts.get("outreach", []), None)
        self._partial(self.f.indicators_partial)

    def components(self) -> None:
        w = self.w
        self.heading(w("muc.noi_dung_tp"), 3)
        for number, comp in enumerate(self.f.components, start=1):
            name = comp.label.split(": ", 1)[1] if ": " in comp.label else comp.label
            self.heading(w("muc.noi_dung_tp_muc", so=number, ten=name), 4)
            self.by_unit(comp.results, "noi_dung_tp.khong")
            if comp.not_applicable:
                self.para(w.counted("noi_dung_tp.khong_thuoc", len(comp.not_applicable),
                                    ten_xa=sentence(units(comp.not_applicable))))
            if is_number(comp.spent) and comp.spent > 0:
                self.para(w("noi_dung_tp.kinh_phi", kinh_phi=money(comp.spent)))

    def criteria(self) -> None:
        w = self.w
        self.heading(w("muc.tieu_chi"), 3)
        for facts in self.f.criteria:
            key = f"muc.tieu_chi_{facts.code}"
            if w.has(key):
                self.heading(w(key), 4)
            self.criteria_set(facts)
        self.heading(w("muc.cong_nhan"), 4)
        self.recognition()

    def recognition(self) -> None:
        w, r = self.w, self.f.recognition
        if r is None:
            self.para(w("tieu_chi.cong_nhan"))
            return
        parts = [w.counted("cong_nhan.muc", len(level.recognised), muc=level.name,
                           ten_xa=units(level.recognised)) for level in r.levels]
        self.para(sentence(w("cong_nhan.dau", cap=self.f.scope) + "; ".join(parts) + "."))
        proposed = [w.counted("cong_nhan.de_nghi_muc", len(level.proposed), muc=level.name,
                              ten_xa=units(level.proposed)) for level in r.levels if level.proposed]
        if proposed:
            self.para(w("cong_nhan.de_nghi", nam=r.year, ds="; ".join(proposed)))
        else:
            self.para(w("cong_nhan.de_nghi_khong", nam=r.year))
        self._partial(r.partial)

    def criteria_set(self, c: CriteriaFacts) -> None:
        w, cov = self.w, self.f.coverage
        n = len(c.assessed)
        if n == 0:
            self.para(w("tieu_chi.chua_danh_gia"))
        else:
            if c.code != "TH01":
                self.para(w.counted("tieu_chi.danh_gia", n))
            parts = [w.counted("tieu_chi.nhom_du", len(c.full.units), tong=c.total,
                               ten_xa=units(c.full.units))]
            empty = []  # bands nobody is in, said once: "không có xã nào đạt 10–14 và 5–9 tiêu chí"
            for band in c.bands[1:]:
                if band.units:
                    parts.append(w.counted("tieu_chi.nhom", len(band.units),
                                           nhom=_band_text(band.label), ten_xa=units(band.units)))
                else:
                    empty.append(_band_text(band.label))
            if empty:
                unit = " tiêu chí"
                ranges = [b[:-len(unit)] if b.endswith(unit) else b for b in empty]
                parts.append(w("tieu_chi.nhom_khong", nhom=join(ranges) + unit))
            self.para(w("tieu_chi.nhom_dau") + "; ".join(parts) + ".")
            self.para(self.average(c))
            self.para(self.changes(c))
            weakest = sorted(c.met_by, key=lambda item: item[2])[:WEAKEST]
            if weakest and weakest[0][2] < n:
                self.para(w("tieu_chi.it_dat", ds=join(
                    w("tieu_chi.it_dat_muc_khong" if k == 0 else "tieu_chi.it_dat_muc",
                      ten=name, ma=code, so=count(k)) for code, name, k in weakest)))
        if c.undetermined:
            self.para(w("tieu_chi.chua_xac_dinh", ten_xa=units(c.undetermined)))
        for names, why in ((cov.missing, "tieu_chi.ly_do_chua_nop"), (cov.refused, "tieu_chi.ly_do_loi")):
            if len(names) > NAMED_AGAIN:  # already named in section I
                self.para(w("tieu_chi.chua_tong_hop_so", so=count(len(names)), ly_do=w(why)))
            elif names:
                self.para(w("tieu_chi.chua_tong_hop", ten_xa=units(names), ly_do=w(why)))
        if c.not_filled:
            self.para(w("tieu_chi.khong_ke_khai", ten_xa=sentence(units(c.not_filled))))

    def average(self, c: CriteriaFacts) -> str:
        w = self.w
        now = vn_number(c.average, 1)
        if c.average_previous is None:
            return w("tieu_chi.binh_quan_khong_truoc", binh_quan=now)
        assert c.average is not None  # asked only when some units were assessed
        diff = round(c.average, 1) - round(c.average_previous, 1)
        if abs(diff) < 0.05:
            change = w("tieu_chi.bang")
        else:
            change = w("tieu_chi.tang" if diff > 0 else "tieu_chi.giam", chenh=vn_number(abs(diff), 1))
        return w("tieu_chi.binh_quan", binh_quan=now, thay_doi=change, nam_truoc=self.previous_year)

    def changes(self, c: CriteriaFacts) -> str:
        w = self.w

        def detail(changes) -> str:
            return "; ".join(f"{unit_name(ch.unit)}: tiêu chí {join(ch.criteria)}" for ch in changes)

        return " ".join([
            w.counted("tieu_chi.tang", len(c.gained), chi_tiet=detail(c.gained),
                      nam_truoc=self.previous_year),
            w.counted("tieu_chi.giam", len(c.lost), chi_tiet=detail(c.lost)),
        ])

    def villages(self) -> None:
        w, v = self.w, self.f.villages
        self.heading(w("muc.thon"), 3)
        self.para(w("thon.tong", cap=self.f.scope, so_thon=vn_count(v.villages), so_ntm=vn_count(v.ntm),
                    ty_le_ntm=percent(v.ntm_rate), so_km=vn_count(v.model),
                    ty_le_km=percent(v.model_rate)))
        if v.model_by_unit:
            self.para(w("thon.km_ds"))
            self.listed(v.model_by_unit)
        else:
            self.para(w("thon.km_khong"))
        if v.planned_by_unit:
            self.para(w("thon.de_nghi"))
        self._partial(v.partial)

    def ocop(self) -> None:
        w, o = self.w, self.f.ocop
        self.heading(w("muc.ocop"), 3)
        if o.total == 0:
            self.para(w("ocop.khong"))
        else:
            stars = join(w("ocop.sao", so=vn_count(k), sao=s) for s, k in o.by_stars if k)
            self.para(w("ocop.tong", cap=self.f.scope, so=vn_count(o.total), ds_sao=stars,
                        so_moi=vn_count(o.new_this_year), nam=self.f.period.year))
            self.para(w("ocop.ds"))
            self.listed([(n, join(p)) for n, p in o.by_unit])
        self._partial(o.partial)

    def resources(self) -> None:
        w, f = self.w, self.f
        self.heading(w("muc.nguon_luc"), 3)
        self.heading(w("muc.huy_dong"), 4)
        funds = f.funds
        if funds.total <= 0:
            self.para(w("nguon_luc.tong_khong"))
        else:
            key = "nguon_luc.tong" if funds.plan > 0 else "nguon_luc.tong_khong_kh"
            self.para(w(key, cot=funds.column.lower(), tong=money(funds.total),
                        ty_le_kh=percent(funds.of_plan), ke_hoach=money(funds.plan)))
            items = [w("nguon_luc.nguon", nguon=_source_name(s.label), so=money(s.value),
                       ty_trong=percent(s.share)) for s in funds.sources if s.value]
            if items:
                items[-1] = items[-1].rstrip(";") + "."
            self.bullets(items)
            self.para(w("nguon_luc.ghi_chu"), italic=True)
        if funds.workdays:
            self.para(w("nguon_luc.ngay_cong", so=vn_count(funds.workdays), dvt=funds.workdays_unit))
        self._partial(funds.partial)
        self.heading(w("muc.giai_ngan"), 4)
        d = f.disbursement
        if d.works == 0:
            self.para(w("giai_ngan.khong"))
        else:
            self.para(w("giai_ngan.tong", so_ct=count(d.works), ke_hoach=money(d.plan),
                        giai_ngan=money(d.disbursed), ty_le=percent(d.rate)))
            items = [w("giai_ngan.nguon", nguon=s.lower(), ke_hoach=money(p), giai_ngan=money(g))
                     for s, p, g in d.by_source if p or g]
            if items:
                items[-1] = items[-1].rstrip(";") + "."
            self.bullets(items)
        self._partial(d.partial)
        self.heading(w("muc.no_dong"), 4)
        debt = f.debt
        if debt.works == 0 and debt.opening == 0:
            self.para(w("no_dong.khong"))
        else:
            self.para(w("no_dong.tong", dau_ky=money(debt.opening), so_ct=count(debt.works),
                        da_xu_ly=money(debt.settled), cuoi_ky=money(debt.closing)))
            if debt.units:
                self.para(w("no_dong.con_no", ten_xa=sentence(units(debt.units))))
        self._partial(debt.partial)

    def indicators(self) -> None:
        w = self.w
        self.heading(w("muc.chi_tieu"), 3)
        items = []
        for ind in self.f.indicators:
            if not is_number(ind.value):
                value, unit = "[…]", ""
            else:
                value, unit = _figure(ind, ind.value)
            compared = self.compared(ind)
            if compared:
                items.append(w("chi_tieu.muc_so_sanh", ten=ind.label, gia_tri=value, dvt=unit,
                               so_sanh=compared))
            else:
                items.append(w("chi_tieu.muc", ten=ind.label, gia_tri=value, dvt=unit))
        if items:
            items[-1] = items[-1].rstrip(";") + "."
        self.bullets(items)
        self.para(w("chi_tieu.ghi_chu"), italic=True)
        self._partial(self.f.indicators_partial)

    def compared(self, ind) -> str:
        """"cùng kỳ năm trước 125 cuộc, tăng 7 cuộc; đạt 66% kế hoạch năm" (TH08b's cells)."""
        w, parts = self.w, []
        if is_number(ind.last_year) and is_number(ind.value):
            value, unit = _figure(ind, ind.last_year)
            change = float(ind.change) if is_number(ind.change) else 0.0
            step = " điểm phần trăm" if ind.unit == "%" else unit
            amount = (vn_number(abs(change), 1) if ind.unit == "%" or ind.aggregate == "weighted"
                      else vn_count(abs(change)))
            how = (w("chi_tieu.bang") if abs(change) < 0.05 else
                   w("chi_tieu.tang" if change > 0 else "chi_tieu.giam", chenh=amount, dvt=step))
            parts.append(w("chi_tieu.cung_ky", gia_tri=value, dvt=unit, thay_doi=how))
        if is_number(ind.of_plan):
            parts.append(w("chi_tieu.ke_hoach", ty_le=vn_percent(ind.of_plan, 1)))
        return "; ".join(parts)

    def _partial(self, names: Sequence[str]) -> None:
        if names:
            self.para(self.w("chu_thich.chua_tong_hop", ten_xa=units(names)), italic=True)

    # Phần thứ hai

    def part_two(self) -> None:
        w, f = self.w, self.f
        self.heading(w("muc.phan_2"), 1)
        self.heading(w("muc.phan_2_ten", KY_TOI=f.next_period_label.upper()), 1)
        self.heading(w("muc.muc_tieu"), 3)
        self.para(w("phuong_huong.muc_tieu"))
        if f.villages.planned_by_unit:
            self.para(w("phuong_huong.thon"))
            self.listed(f.villages.planned_by_unit)
        plans = [p for c in f.criteria[:1] for p in c.plans]
        if plans:
            self.para(w("phuong_huong.tieu_chi"))
            self.by_unit([(n, [f"tiêu chí {t}: {_bare(x)}" for t, x in items]) for n, items in plans],
                         None)
        self.heading(w("muc.nhiem_vu"), 3)
        self.by_unit(f.texts.get("plans", []), "phuong_huong.khong")
        self.heading(w("muc.kien_nghi"), 3)
        self.by_unit(f.texts.get("proposals", []), "phuong_huong.khong")

    def closing(self) -> None:
        f, w = self.f, self.w
        self.para(w("chung.ket_thuc", ky=f.period.label, ky_toi=f.next_period_label,
                    co_quan=f.issuer))
        left, right = _frame_table(self.doc, (Cm(8.5), Cm(8)))
        recipients = [(w("chung.noi_nhan"), {"bold": True, "italic": True, "size": 12})]
        lines = w.raw("chung.noi_nhan_ds")
        for line in [lines] if isinstance(lines, str) else cast("list[object]", lines):  # a TOML list
            text = fill(str(line), co_quan_chu_quan=f.issuer, cap=f.scope)
            recipients.append((text, {"size": 11}))
        _cell_lines(left, recipients)
        for p in left.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        _cell_lines(right, [(f.signer_title, {"bold": True, "size": 14}),
                            (w("chung.ky_ten"), {"italic": True, "size": 14}),
                            ("", {}), ("", {}), ("", {}),
                            (f.signer_name, {"bold": True, "size": 14})])


def _end(text: str, mark: str = ".") -> str:
    """A commune's text as a sentence of the report: trimmed, ending with one mark."""
    text = " ".join(str(text).split())
    return text if not mark or text.endswith((".", "!", "?", ":", ";")) else text + mark


def _figure(ind, value: float) -> tuple[str, str]:
    """An indicator's figure and its unit as the text writes them: 96,5%; 46 triệu đồng; 22 cuộc."""
    if ind.unit == "%":
        return vn_percent(value, 1), ""
    if ind.aggregate == "weighted":
        return vn_number(value, 1), f" {ind.unit}"
    return vn_count(value), f" {ind.unit}"


def _bare(text: str) -> str:
    """A commune's text inside a listed item: trimmed, without its own closing mark."""
    return " ".join(str(text).split()).rstrip(".;")


def _band_text(label: str) -> str:
    """'15–18 tiêu chí' → '15–18 tiêu chí'; 'Dưới 5 tiêu chí' → 'dưới 5 tiêu chí'."""
    return label[:1].lower() + label[1:]


def _source_name(label: str) -> str:
    """'I. Ngân sách trung ương' → 'Ngân sách trung ương'."""
    head, _, rest = label.partition(". ")
    return rest if rest and head.replace("I", "").replace("V", "").replace("X", "") == "" else label
