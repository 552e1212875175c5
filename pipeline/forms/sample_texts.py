"""Plausible, varied Vietnamese texts for the synthetic sample communes (PB09, PB11).

Each section has a pool of sentences written the way commune reports put them; a commune draws a
few, with its own figures, seeded by its code, so two communes rarely read alike and a run is the
same every time. Thọ Thanh does not use these: it carries the seed report's own texts.
"""

from __future__ import annotations

import random

#: PB09 component number → sentences ({xa}: the commune, {n}, {m}: figures, {thon}: a village).
COMPONENTS: dict[str, tuple[str, ...]] = {
    "1": (
        "Quy hoạch chung xây dựng {xa} đến năm 2030 đã được phê duyệt và công bố công khai tại "
        "trụ sở UBND xã và {n} nhà văn hóa thôn.",
        "Đang rà soát, điều chỉnh cục bộ quy hoạch chung xây dựng xã để bố trí đất cho khu sản "
        "xuất tập trung và điểm tập kết rác thải.",
        "Ban hành quy định quản lý quy hoạch; cắm {m} mốc giới quy hoạch tại khu trung tâm xã.",
    ),
    "2": (
        "Cứng hóa thêm {m} km đường giao thông thôn, xóm; duy tu, bảo dưỡng các tuyến đường "
        "trục xã.",
        "Nhân dân xây mới, cải tạo {n} nhà ở; chỉnh trang hàng rào, cổng ngõ {m} hộ.",
        "Hoàn thành nâng cấp nhà văn hóa {thon}; đang thi công kênh mương nội đồng dài {m} km.",
        "Hệ thống điện được ngành điện cải tạo, bảo đảm cấp điện an toàn cho 100% số hộ.",
    ),
    "3": (
        "Chuyển đổi {n} ha đất trồng lúa kém hiệu quả sang trồng ngô, rau màu và cây ăn quả.",
        "Duy trì liên kết sản xuất mía nguyên liệu với công ty trên diện tích {n} ha.",
        "Hỗ trợ {m} hộ phát triển chăn nuôi bò sinh sản; hợp tác xã dịch vụ nông nghiệp hoạt "
        "động có lãi.",
        "Đang hoàn thiện hồ sơ đề nghị đánh giá, phân hạng sản phẩm OCOP năm 2024.",
    ),
    "4": (
        "Rà soát hộ nghèo, hộ cận nghèo; hỗ trợ {m} hộ nghèo vay vốn ưu đãi phát triển sản xuất.",
        "Hỗ trợ xây dựng {n} nhà ở cho hộ nghèo theo Chương trình MTQG giảm nghèo bền vững.",
        "Tổ chức {n} lớp dạy nghề ngắn hạn cho lao động nông thôn, chủ yếu là đồng bào dân tộc "
        "thiểu số.",
    ),
    "5": (
        "Tỷ lệ huy động trẻ em ra lớp đúng độ tuổi đạt 100%; duy trì phổ cập giáo dục các cấp.",
        "Trạm y tế xã duy trì đạt Bộ tiêu chí quốc gia về y tế xã; tổ chức tiêm chủng mở rộng "
        "đầy đủ cho trẻ em.",
        "Tuyên truyền, vận động người dân tham gia bảo hiểm y tế; khám sức khỏe định kỳ cho "
        "{m} người cao tuổi.",
    ),
    "6": (
        "{n}/{v} thôn giữ vững danh hiệu thôn văn hóa; tổ chức giải bóng chuyền, kéo co dịp đầu "
        "xuân.",
        "Khôi phục, duy trì câu lạc bộ văn nghệ dân gian của đồng bào Thái, Mường tại {thon}.",
        "Các thôn xây dựng, thực hiện hương ước, quy ước; đám cưới, việc tang theo nếp sống văn "
        "minh.",
    ),
    "7": (
        "Tổ chức {n} đợt ra quân tổng vệ sinh môi trường; trồng mới {m} cây xanh trên các tuyến "
        "đường thôn.",
        "Thành lập tổ thu gom rác thải tại {thon}; hướng dẫn hộ dân phân loại rác tại nguồn.",
        "Xây dựng tuyến đường hoa, đường điện chiếu sáng tự quản dài {m} km.",
    ),
    "8": (
        "Bộ phận một cửa tiếp nhận, giải quyết đúng hạn 100% hồ sơ thủ tục hành chính.",
        "Đẩy mạnh dịch vụ công trực tuyến; {n} hộ kinh doanh dùng thanh toán không dùng tiền mặt.",
        "Kiện toàn tổ công nghệ số cộng đồng ở {m} thôn, hướng dẫn người dân cài đặt ứng dụng "
        "định danh điện tử.",
    ),
    "9": (
        "Mặt trận Tổ quốc và các đoàn thể vận động hội viên tham gia hiến đất, ngày công làm "
        "đường giao thông.",
        "Hội Phụ nữ duy trì mô hình “5 không 3 sạch” tại {n} chi hội.",
        "Đoàn Thanh niên ra quân tình nguyện làm sạch đường làng, trồng hoa tại {thon}.",
    ),
    "10": (
        "An ninh chính trị, trật tự an toàn xã hội được giữ vững; không có điểm nóng.",
        "Hoàn thành chỉ tiêu giao quân; duy trì hoạt động {n} tổ an ninh tự quản.",
        "{n}/{v} thôn đạt chuẩn an toàn về an ninh, trật tự.",
    ),
    "11": (
        "Ban giám sát đầu tư của cộng đồng giám sát {n} công trình trên địa bàn.",
        "Cử {n} cán bộ tham gia tập huấn nâng cao năng lực xây dựng NTM do huyện tổ chức.",
        "Phát động phong trào thi đua “Chung sức xây dựng nông thôn mới” đến {m} thôn.",
    ),
}

#: PB11 section → sentences (as COMPONENTS).
SECTIONS: dict[str, tuple[str, ...]] = {
    "VB": (
        "Kế hoạch số {n}/KH-UBND ngày {d}/01/2024 của UBND xã về thực hiện Chương trình MTQG "
        "xây dựng NTM năm 2024.",
        "Quyết định số {m}/QĐ-UBND ngày {d}/02/2024 phân công thành viên Ban chỉ đạo phụ trách "
        "các tiêu chí.",
        "Nghị quyết của Đảng ủy xã về lãnh đạo xây dựng xã đạt chuẩn NTM nâng cao giai đoạn "
        "2024 - 2025.",
        "Văn bản chỉ đạo các thôn rà soát, đăng ký tiêu chí thôn NTM kiểu mẫu năm 2024.",
    ),
    "BCD": (
        "Kiện toàn Ban chỉ đạo xã gồm {m} thành viên do Bí thư Đảng ủy làm Trưởng ban.",
        "Ban chỉ đạo họp định kỳ hằng quý, phân công thành viên phụ trách từng thôn.",
        "Ban phát triển ở {n} thôn được củng cố, hoạt động thường xuyên.",
    ),
    "TT": (
        "Tổ chức {n} hội nghị tuyên truyền với khoảng {m} lượt người tham dự.",
        "Đài truyền thanh xã phát {m} tin, bài về xây dựng NTM; treo mới băng rôn, pano tại "
        "khu trung tâm.",
        "Lồng ghép tuyên truyền trong sinh hoạt chi bộ, họp thôn và các buổi sinh hoạt đoàn thể.",
    ),
    "KQ": (
        "Duy trì, nâng cao chất lượng các tiêu chí đã đạt; nhiều tuyến đường được cứng hóa nhờ "
        "nhân dân hiến đất.",
        "Nhận thức của người dân về xây dựng NTM được nâng lên; phong trào vệ sinh môi trường "
        "chuyển biến rõ.",
        "Thu nhập bình quân đầu người tăng so với cùng kỳ; tỷ lệ hộ nghèo tiếp tục giảm.",
    ),
    "HC": (
        "Tiêu chí thu nhập và nghèo đa chiều chưa bền vững, dễ bị ảnh hưởng bởi thiên tai, dịch "
        "bệnh.",
        "Một số tuyến đường nội đồng xuống cấp, chưa có kinh phí sửa chữa.",
        "Việc huy động nguồn lực từ doanh nghiệp và cộng đồng còn hạn chế.",
        "Hệ thống thu gom, xử lý rác thải ở các thôn vùng cao chưa đồng bộ.",
    ),
    "NN": (
        "Xã miền núi, địa bàn rộng, giao thông đi lại khó khăn; điều kiện kinh tế của người dân "
        "còn thấp.",
        "Ngân sách xã hạn hẹp, nguồn thu từ đấu giá quyền sử dụng đất không đạt kế hoạch.",
        "Một bộ phận người dân còn tư tưởng trông chờ, ỷ lại vào sự hỗ trợ của Nhà nước.",
        "Cán bộ phụ trách NTM kiêm nhiệm nhiều việc, thời gian dành cho chương trình chưa nhiều.",
    ),
    "KN": (
        "Đề nghị UBND huyện hỗ trợ kinh phí cứng hóa {m} km đường nội đồng.",
        "Đề nghị huyện ưu tiên bố trí vốn xây dựng hệ thống nước sạch tập trung cho {thon}.",
        "Đề nghị tổ chức tập huấn nghiệp vụ cho cán bộ thôn về xây dựng thôn NTM kiểu mẫu.",
        "Đề nghị sớm thẩm định, công nhận các thôn đã đủ tiêu chí NTM kiểu mẫu.",
    ),
}


def pick(rng: random.Random, pool: tuple[str, ...], commune: str, villages: int) -> str:
    """One or two sentences of ``pool``, each as a "- " line, with the commune's figures."""
    count = min(len(pool), rng.choice((1, 2, 2)))
    figures = {"xa": commune, "n": rng.randint(2, max(2, villages)), "m": rng.randint(3, 40),
               "v": max(2, villages),
               "d": rng.randint(3, 28), "thon": f"thôn {rng.randint(1, max(1, villages))}"}
    return "\n".join("- " + line.format(**figures) for line in rng.sample(pool, count))
