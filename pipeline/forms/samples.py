"""Bundled sample data: xã Thọ Thanh from the real 2024-H1 report, the others plausible and fixed.

The samples are written by ``template.write_workbook``, the code path of every commune workbook, so
they are real input for the reader and the consolidation, never hand-made files.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, cast

from pipeline.annexes import Annex, Row
from pipeline.annexes.catalogue import CatalogueRow
from pipeline.annexes.formulas import AllMet
from pipeline.annexes.model import MET, NOT_MET
from pipeline.annexes.pb07 import GROUPS, OWNER_KINDS
from pipeline.annexes.pb08 import SHARED
from pipeline.annexes.pb10 import DECISION, PROPOSED, YEAR
from pipeline.config.registry import Unit
from pipeline.forms import sample_texts
from pipeline.forms.seed_texts import THO_THANH_SECTIONS

THO_THANH = "15652"

#: Component texts of xã Thọ Thanh's 2024-H1 report (seed), keyed by component number.
THO_THANH_COMPONENTS = {
    "1": ("Có", "Xã đã thực hiện phê duyệt quy hoạch chung xây dựng xã đến năm 2030."),
    "2": ("Có", "Nhân dân xây mới, cải tạo, nâng cấp 08 nhà ở dân cư; cải tạo, làm mới hàng rào "
                "xung quanh nhà ở dân cư 14 hộ."),
    "3": ("Có", "Mô hình hiệu quả tiếp tục được nhân rộng như mô hình nhà màng nhà lưới; mô hình "
                "Dưa vàng ứng dụng công nghệ cao đạt sản phẩm OCOP 3 sao."),
    "4": ("Không thuộc", "Địa phương không thuộc nội dung thành phần này."),
    "5": ("Có", "Tỷ lệ trẻ em ra lớp đúng độ tuổi bậc mầm non và tiểu học đạt 100%, tỷ lệ phổ cập "
                "giáo dục tiểu học đạt 100%, tỷ lệ phổ cập giáo dục THCS đạt 96%; 90% dân số tham "
                "gia BHYT."),
    "6": ("Có", "Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” gắn với xây dựng NTM tiếp "
                "tục được triển khai; các nhà văn hóa, trung tâm thể thao đạt chuẩn; các thôn đạt "
                "chuẩn văn hóa."),
    "7": ("Có", "Mô hình điểm về bảo vệ môi trường và cảnh quan sáng - xanh - sạch - đẹp tại thôn 1; "
                "tỷ lệ thu gom rác thải toàn xã đạt 90%; tỷ lệ hộ sử dụng nước hợp vệ sinh đạt 100%."),
    "8": ("Có", "Chất lượng đội ngũ cán bộ, công chức và hoạt động hành chính công được nâng lên; "
                "Đảng bộ xã hoàn thành xuất sắc nhiệm vụ năm 2023."),
    "9": ("Có", "100% các tổ chức trong hệ thống chính trị - xã hội của xã được kiện toàn theo quy "
                "định và hoàn thành tốt nhiệm vụ."),
    "10": ("Có", "An ninh chính trị, trật tự an toàn xã hội được giữ vững; 7/7 thôn và 2 nhà trường "
                 "đạt chuẩn về an ninh trật tự."),
    "11": ("Có", "Ban giám sát cộng đồng xã được tập huấn, giám sát thi công các công trình và các dự "
                 "án hỗ trợ phát triển sản xuất; 600 lượt ngày công dọn vệ sinh môi trường."),
}

#: Key indicators of the seed report (PB08 row code → value in the reporting period). BHYT (90 %)
#: is PB08 row 8, which shows PB01's indicator 15.1: it is typed there (THO_THANH_CRITERIA).
THO_THANH_INDICATORS = {
    "1": 7, "2": 800, "3": 8, "4": 14, "5": 100, "6": 100, "7": 96, "9": 90, "10": 100, "12": 7,
}
#: The seed's plan for NTM nâng cao (Phần thứ hai, 2.), written against each criterion not yet met.
THO_THANH_NANG_CAO = ("Duy trì các tiêu chí NTM nâng cao đã đạt được hoàn thành các tiêu chí chưa "
                      "đạt đề nghị cấp trên xem xét, công nhận xã đạt chuẩn nông thôn mới nâng cao "
                      "vào năm 2025.")
#: PB01 indicator results of the seed report (the commune meets them all).
THO_THANH_CRITERIA = {"15.1": 90, "17.1": 100}


def _criteria(annex: Annex, rng: random.Random, met_share: float, region: str) -> dict:
    """Indicator results and self-assessment, consistent with catalogue thresholds."""
    data: dict[str, dict[str, object]] = {}
    for row in annex.rows:
        item = cast("CatalogueRow | None", row.meta.get("catalogue"))
        if item is None:
            continue
        met = rng.random() < met_share
        threshold = item.threshold_for(region)
        if threshold is not None and item.compare:
            step = max(1.0, abs(threshold) * 0.05)
            good = threshold + step if item.compare == ">=" else max(0.0, threshold - step)
            bad = max(0.0, threshold - step) if item.compare == ">=" else threshold + step
            if item.unit.strip() == "%":
                good, bad = min(good, 100.0), min(bad, 100.0)
            result: object = round(good if met else bad, 1)
            before: object = round(good if met or rng.random() < 0.5 else bad, 1)
        else:
            result = MET if met else NOT_MET
            before = result
        data[row.code] = {
            "ket_qua_truoc": before if met else result,
            "danh_gia_truoc": MET if met else NOT_MET,
            "ket_qua": result,
            "danh_gia": MET if met else NOT_MET,
        }
    return data


def _money(rng: random.Random, high: float) -> float:
    return round(rng.uniform(0, high), 1)


def _spread(data: dict, annex: Annex, rng: random.Random) -> dict:
    """Spread the results PB08 also shows (BHYT, income, poverty) around their threshold, on the
    side the commune's assessment says, so communes do not all report the same figure."""
    for indicator in SHARED.values():
        value, row = data.get(indicator, {}).get("ket_qua"), annex.row(indicator)
        item = cast("CatalogueRow | None", row.meta.get("catalogue"))
        if not isinstance(value, (int, float)) or item is None or not item.compare:
            continue
        toward = 1 if (item.compare == ">=") == (data[indicator]["danh_gia"] == MET) else -1
        moved = value + toward * rng.uniform(0, max(1.0, abs(value) * 0.08))
        if item.unit.strip() == "%":
            moved = min(100.0, moved)
        data[indicator] = {**data[indicator], "ket_qua": round(max(0.5, moved), 1)}
    return data


#: Targets a commune writes for a criterion it has not met yet ("Kế hoạch kỳ tới").
TARGETS = ("Phấn đấu hoàn thành trong quý IV/2024.", "Hoàn thành trong năm 2025.",
           "Tranh thủ nguồn vốn lồng ghép, phấn đấu đạt cuối năm 2024.",
           "Vận động nhân dân đóng góp, hoàn thành trước 31/12/2024.")


def _indicators_of(criterion: Row) -> tuple[str, ...]:
    """The indicator rows of a criterion row (its "danh_gia" formula is an AllMet)."""
    return cast(AllMet, criterion.formulas["danh_gia"]).rows


def _history(data: dict, annex: Annex, rng: random.Random) -> dict:
    """31/12 last year, and the next period's target: most criteria as now; sometimes one was
    reached this period (its indicators not met before) or lost (all met before)."""
    criteria = [r for r in annex.rows if isinstance(r.formulas.get("danh_gia"), AllMet)]
    met = [r for r in criteria if all(data.get(c, {}).get("danh_gia") == MET
                                      for c in _indicators_of(r))]
    missed = [r for r in criteria if r not in met]
    if met and rng.random() < 0.5:
        first = _indicators_of(met[rng.randrange(len(met))])[0]
        data[first] = {**data[first], "danh_gia_truoc": NOT_MET}
    if missed and rng.random() < 0.25:
        for code in _indicators_of(missed[rng.randrange(len(missed))]):
            data[code] = {**data.get(code, {}), "danh_gia_truoc": MET}
    for row in missed:
        data[row.code] = {**data.get(row.code, {}), "ke_hoach": rng.choice(TARGETS)}
    return data


def _follow_works(data: dict, works: list[dict]) -> dict:
    """PB04 ``data`` with NSTW and tỉnh (I.1, I.2, II.1) set to what PB05's works disbursed (rule
    pb05-vs-pb04): the money a commune mobilised from them is the money it disbursed."""
    for column, key in (("thuc_hien", "giai_ngan"), ("luy_ke", "giai_ngan"), ("ke_hoach", "ke_hoach")):
        invest = sum(w[key] for w in works if w["nguon_von"] == "Đầu tư phát triển")
        career = sum(w[key] for w in works if w["nguon_von"] == "Sự nghiệp")
        central = {"I.1": round(invest * 0.7, 1), "I.2": round(career * 0.7, 1)}
        central["II.1"] = round(invest + career - central["I.1"] - central["I.2"], 1)
        for code, value in central.items():
            data[code][column] = value
    return data


def _funds(rng: random.Random) -> dict:
    data: dict[str, dict[str, object]] = {}
    for code, high in (("I.1", 3000), ("I.2", 800), ("II.1", 1500), ("II.2", 900), ("II.3", 500),
                       ("III", 700), ("IV", 400), ("V", 300), ("VI.1", 250), ("VI.2", 350),
                       ("VII", 100)):
        done = _money(rng, high)
        data[code] = {"ke_hoach": round(done * rng.uniform(1.1, 2.2), 1), "thuc_hien": done,
                      "luy_ke": done}
    days = rng.randint(200, 2500)
    data["NGAY_CONG"] = {"ke_hoach": days * 2, "thuc_hien": days, "luy_ke": days}
    return data


def _indicators(rng: random.Random, villages: int, criteria: Mapping[str, Mapping]) -> dict:
    counts = {"1": rng.randint(3, 15), "2": rng.randint(200, 1500), "3": rng.randint(2, 30),
              "4": rng.randint(5, 60), "12": rng.randint(max(0, villages - 2), villages)}
    rates = {"5": rng.uniform(95, 100), "6": rng.uniform(97, 100), "7": rng.uniform(90, 100),
             "8": rng.uniform(85, 97), "9": rng.uniform(70, 98), "10": rng.uniform(90, 100),
             "11": rng.uniform(30, 80), "14": rng.uniform(3, 25)}
    data: dict[str, dict[str, object]] = {}
    for code, value in counts.items():
        data[code] = {"thuc_hien": value, "cung_ky": max(0, value + rng.randint(-3, 3)),
                      "ke_hoach": value + rng.randint(0, 10)}
    for code, rate in rates.items():
        change = rng.uniform(0, 3) * (-1 if code == "14" else 1)  # poverty falls as others rise
        data[code] = {"thuc_hien": round(rate, 1), "cung_ky": round(min(100, max(0, rate - change)), 1),
                      "ke_hoach": round(min(100, rate + 1), 1)}
    income = round(rng.uniform(38, 62), 1)
    data["13"] = {"thuc_hien": income, "cung_ky": round(income * 0.93, 1), "ke_hoach": round(income * 1.05, 1)}
    # Rows shown from PB01 (BHYT, income, poverty): the same period last year and the plan follow
    # PB01's figure; the figure itself is typed there only.
    for code, indicator in SHARED.items():
        now = criteria.get(indicator, {}).get("ket_qua")
        if isinstance(now, (int, float)):
            better = -1 if code == "14" else 1
            cap = 1e9 if code == "13" else 100.0  # income is no rate
            data[code] = {"cung_ky": round(min(cap, max(0.0, now - better * abs(now) * 0.05)), 1),
                          "ke_hoach": round(min(cap, max(0.0, now + better * abs(now) * 0.02)), 1)}
        else:
            data.pop(code, None)
    return data


def _villages(rng: random.Random, count: int, decisions: random.Random) -> list[dict]:
    """Villages; a model village is one with a decision, and some at 15/15 only wait for it."""
    rows = []
    for i in range(1, count + 1):
        met = rng.randint(3, 15)
        year = rng.choice([2023, 2024]) if met == 15 else None
        decided = year is not None and decisions.random() < 0.6
        rows.append({
            "ten_thon": f"Thôn {i}", "nam_dat_ntm": rng.choice([2019, 2020, 2021, 2022, None]),
            "so_tc_dat": met, "tong_tc": 15,
            "nam_kieu_mau": year if decided else None,
            "so_qd_kieu_mau": f"{decisions.randint(100, 999)}/QĐ-UBND" if decided else None,
            "du_kien": (None if decided else "Quý IV/2024" if met == 15
                        else rng.choice(["Quý IV/2024", "Năm 2025"])),
        })
    return rows


def _recognition(rng: random.Random, unit: Unit) -> dict:
    """PB10: year and decision of each level reached; the year a level is to be proposed."""
    if unit.kind != "Xã":
        note = f"{unit.kind} không thuộc đối tượng xét công nhận xã NTM"
        return {"NTM": {"ghi_chu": note}}
    ntm = rng.randint(2013, 2022)
    data: dict[str, dict[str, object]] = {
        "NTM": {YEAR: ntm, DECISION: f"{rng.randint(1000, 4999)}/QĐ-UBND ngày "
                                     f"{rng.randint(1, 28)}/{rng.randint(6, 12)}/{ntm} của UBND tỉnh"}}
    chance = rng.random()
    if chance < 0.3 and ntm <= 2020:
        year = rng.randint(ntm + 2, 2023)
        data["NC"] = {YEAR: year, DECISION: f"{rng.randint(1000, 4999)}/QĐ-UBND ngày "
                                            f"{rng.randint(1, 28)}/{rng.randint(6, 12)}/{year} của UBND tỉnh"}
        data["KM"] = {PROPOSED: 2025}
    elif chance < 0.7:
        data["NC"] = {PROPOSED: rng.choice([2024, 2025])}
    return data


def _works(rng: random.Random, unit: Unit) -> list[dict]:
    rows = []
    for i in range(rng.randint(0, 3)):
        plan = round(rng.uniform(300, 4000), 1)
        rows.append({"ten": f"Đường giao thông nội đồng tuyến {i + 1}, {unit.short_name}",
                     "noi_dung_tp": rng.choice(["2", "3", "7"]),
                     "nguon_von": rng.choice(["Đầu tư phát triển", "Sự nghiệp"]),
                     "ke_hoach": plan, "giai_ngan": round(plan * rng.uniform(0.2, 1.0), 1)})
    return rows


def _debts(rng: random.Random) -> list[dict]:
    rows = []
    for i in range(rng.randint(0, 2)):
        start = round(rng.uniform(50, 900), 1)
        rows.append({"ten": f"Nhà văn hóa thôn {i + 2}", "nam_hoan_thanh": rng.choice([2020, 2021, 2022]),
                     "no_dau_ky": start, "da_xu_ly": round(start * rng.uniform(0, 0.6), 1),
                     "nguon_xu_ly": "Ngân sách xã"})
    return rows


def _ocop(rng: random.Random, unit: Unit) -> list[dict]:
    products = ["Mật ong rừng", "Măng khô", "Gạo nếp cái hoa vàng", "Chè xanh", "Rượu men lá"]
    rows = []
    for name in rng.sample(products, rng.randint(0, 2)):
        rows.append({"ten": f"{name} {unit.short_name}", "nhom": GROUPS[0 if "Rượu" not in name else 1],
                     "chu_the": f"HTX {unit.short_name}", "loai_chu_the": OWNER_KINDS[1],
                     "so_sao": rng.choice([3, 3, 4]), "nam_cong_nhan": rng.choice([2022, 2023, 2024]),
                     "so_qd": f"{rng.randint(100, 4999)}/QĐ-UBND", "tinh_trang": "Mới"})
    return rows


def _info(unit: Unit, villages: int, households: int, people: int) -> dict:
    return {"SO_THON": {"gia_tri": villages}, "SO_HO": {"gia_tri": households},
            "SO_NK": {"gia_tri": people}, "NGUOI_LAP": {"gia_tri": "Cán bộ phụ trách NTM"},
            "DIEN_THOAI": {"gia_tri": "0237 3875 000"}}


def synthetic_data(unit: Unit, annexes: Mapping[str, Annex], region: str) -> dict[str, Any]:
    """Plausible values for a unit, the same every run (seeded by the unit code)."""
    rng = random.Random(int(unit.code))
    villages = rng.randint(5, 14)
    households = rng.randint(700, 2600)
    # New fields draw from their own stream, so adding one does not reshuffle the older figures.
    extra = random.Random(f"{unit.code}-2")
    info = _info(unit, villages, households, households * rng.randint(38, 46) // 10)
    criteria = _history(_spread(_criteria(annexes["PB01"], rng, 0.9, region), annexes["PB01"], extra),
                        annexes["PB01"], extra)
    village_rows = _villages(rng, villages, extra)
    funds = _funds(rng)
    works = _works(rng, unit)
    funds = _follow_works(funds, works)
    data: dict[str, Any] = {
        "TT": info,
        "PB01": criteria,
        "PB03": village_rows,
        "PB04": funds,
        "PB05": works,
        "PB06": _debts(rng),
        "PB07": _ocop(rng, unit),
        "PB08": _indicators(rng, villages, criteria),
        "PB09": {str(i): {"ap_dung": "Có",
                          "ket_qua": sample_texts.pick(extra, sample_texts.COMPONENTS[str(i)],
                                                       unit.name, villages),
                          "kinh_phi": _money(rng, 200)} for i in range(1, 12)},
        "PB10": _recognition(extra, unit),
        "PB11": {code: {"noi_dung_bc": sample_texts.pick(extra, pool, unit.name, villages)}
                 for code, pool in sample_texts.SECTIONS.items()},
    }
    if rng.random() < 0.5:
        data["PB02"] = _criteria(annexes["PB02"], rng, 0.6, region)
    return data


def tho_thanh_data(annexes: Mapping[str, Annex], region: str) -> dict[str, Any]:
    """Xã Thọ Thanh, 6 tháng đầu năm 2024, every figure from the real report in shared/seed."""
    rng = random.Random(int(THO_THANH))
    funds: dict[str, dict[str, object]] = {code: {"ke_hoach": 0, "thuc_hien": 0, "luy_ke": 0}
             for code in ("I.1", "I.2", "II.1", "II.2", "II.3", "III", "IV", "V", "VI.1", "VI.2", "VII")}
    funds["NGAY_CONG"] = {"thuc_hien": 600, "luy_ke": 600,
                          "ghi_chu": "600 lượt ngày công dọn vệ sinh môi trường"}
    return {
        # Households and population are not in the report: illustrative values for the weights.
        "TT": _info(Unit(THO_THANH, "Xã Thọ Thanh", "Thọ Thanh", "Xã"), 7, 1180, 4850)
        | {"NGUOI_LAP": {"gia_tri": "Cán bộ phụ trách NTM"}},
        # A commune already NTM: every criterion met (the report works toward NTM nâng cao).
        "PB01": _with_results(_criteria(annexes["PB01"], rng, 1.0, region), THO_THANH_CRITERIA),
        "PB02": _proposed(_criteria(annexes["PB02"], rng, 0.7, region), annexes["PB02"]),
        # Thôn 1 meets 15/15 but has no decision yet: proposed for Quý III/2024, not recognised.
        "PB03": [{"ten_thon": "Thôn 1", "so_tc_dat": 15, "tong_tc": 15, "du_kien": "Quý III/2024",
                  "ghi_chu": "Đề nghị UBND huyện công nhận; các thôn khác hoàn thành 1-2 tiêu chí"}],
        "PB04": funds,
        "PB05": [],
        "PB06": [],
        "PB07": [{"ten": "Dưa vàng ứng dụng công nghệ cao", "nhom": GROUPS[0], "so_sao": 3,
                  "nam_cong_nhan": 2024, "tinh_trang": "Mới",
                  "chu_the": "Mô hình Dưa vàng ứng dụng công nghệ cao"}],
        "PB08": {code: {"thuc_hien": value} for code, value in THO_THANH_INDICATORS.items()},
        "PB09": {code: {"ap_dung": applies, "ket_qua": text, "kinh_phi": 0}
                 for code, (applies, text) in THO_THANH_COMPONENTS.items()},
        # The report works toward NTM nâng cao (to be proposed in 2025) but gives neither the year
        # nor the decision of the commune's NTM recognition: none is invented here, so the district
        # does not count it until the commune writes them in.
        "PB10": {"NTM": {"ghi_chu": "Báo cáo của xã không nêu năm, số quyết định công nhận xã "
                                    "đạt chuẩn NTM"},
                 "NC": {PROPOSED: 2025}},
        "PB11": {code: {"noi_dung_bc": "\n".join(paragraphs)}
                 for code, paragraphs in THO_THANH_SECTIONS.items()},
    }


def _proposed(data: dict, annex: Annex) -> dict:
    """NTM nâng cao targets of the seed: complete what is missing, be recognised in 2025."""
    for row in annex.rows:
        rule = row.formulas.get("danh_gia")
        if isinstance(rule, AllMet) and not all(data.get(c, {}).get("danh_gia") == MET
                                                for c in rule.rows):
            data[row.code] = {**data.get(row.code, {}), "ke_hoach": THO_THANH_NANG_CAO}
    return data


def _with_results(data: dict, results: Mapping[str, float]) -> dict:
    """Criteria ``data`` with the indicator results the report gives (all met)."""
    for code, value in results.items():
        data[code] = {**data[code], "ket_qua": value, "danh_gia": MET}
    return data


def sample_data(unit: Unit, annexes: Mapping[str, Annex], region: str) -> dict[str, Any]:
    if unit.code == THO_THANH:
        return tho_thanh_data(annexes, region)
    return synthetic_data(unit, annexes, region)
