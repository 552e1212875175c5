"""Columns shared by several annexes."""

from __future__ import annotations

from pipeline.annexes.model import Column


def code_column(width: float = 7) -> Column:
    return Column("ma", "Mã", role="label", width=width)


def label_column(title: str = "Nội dung", width: float = 46) -> Column:
    return Column("noi_dung", title, role="label", width=width)


def unit_column(width: float = 11) -> Column:
    return Column("dvt", "ĐVT", role="label", width=width)


def note_column(width: float = 22) -> Column:
    return Column(
        "ghi_chu", "Ghi chú", kind="text", max_length=500, width=width,
        hint="Ghi chú thêm nếu cần (không bắt buộc).",
    )
