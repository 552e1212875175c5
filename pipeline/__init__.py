"""Consolidate communes' New Rural Development (NTM) annex workbooks into district tables."""

__version__ = "0.1.0"

#: Version stamped into every generated commune workbook; the reader refuses unknown ones.
TEMPLATE_VERSION = "NTM-PB-1.1"
