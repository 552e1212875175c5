"""The district's key figures over the archived periods: which values the trend sheet reads.

Each figure is (annex, row code, column) of the annex definitions; the district stage combines them
per period (``pipeline.district.tables.trend_table``).
"""

from __future__ import annotations

from pipeline.annexes.criteria import COUNT_ROW
from pipeline.annexes.pb04 import TOTAL
from pipeline.annexes.pb08 import HOUSEHOLDS

#: Criteria met per commune (PB01, computed count), funds mobilized in the period (PB04 total),
#: multidimensional poverty rate (PB08 row 14) and its weight, the households (TT).
CRITERIA_MET = ("PB01", COUNT_ROW, "danh_gia")
FUNDS = ("PB04", TOTAL, "thuc_hien")
POVERTY = ("PB08", "14", "thuc_hien")
HOUSEHOLDS_ITEM = ("TT", HOUSEHOLDS, "gia_tri")
TREND_ITEMS = (CRITERIA_MET, FUNDS, POVERTY, HOUSEHOLDS_ITEM)
