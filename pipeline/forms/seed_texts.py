"""Xã Thọ Thanh's 2024-H1 report (shared/seed), its narrative sections word for word.

Each text is lines of the seed report as written there (typing slips included), one line per
paragraph: the sample carries what the commune sent, and a test checks every line against the
seed file.
"""

from __future__ import annotations

#: PB11 row code → the seed's paragraphs for that section.
THO_THANH_SECTIONS: dict[str, tuple[str, ...]] = {
    "VB": (
        "Thực hiện Kế hoạch số 362/KH-UBND ngày 22/12/2023 của UBND huyện Thường Xuân về việc "
        "thực hiện Chương trình mục tiêu quốc gia xây dựng NTM huyện Thường Xuân năm 2024. UBND "
        "xã ban hành Kế hoạch số 14 /KH-UBND ngày 04/01/2023 về xây dựng xã nông thôn mới nâng "
        "cao, thôn nông thôn mới kiểu mẫu trên địa bàn xã giai đoạn 2023 – 2025.",
    ),
    "BCD": (
        "Ban chỉ đạo thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới xã đã được "
        "kiện toàn kịp thời khi có sự thay đổi về nhân sự",
        "Ban chỉ đạo thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn hoạt động có "
        "hiệu quả đáp ứng yêu cầu nhiệm vụ trong công tác chỉ đạo xây dựng Chương trình mục tiêu "
        "quốc gia xây dựng nông thôn mới trên địa bàn xã",
        "Công chức chuyên môn phụ trách Chương trình MTQG xây dựng nông thôn mới. làm tốt công "
        "tác tham mưu, đề xuất phân công cán bộ công chức phụ trách và thực hiện các tiêu chí "
        "theo đúng chức năng, nhiệm vụ của mình.",
    ),
    "TT": (
        "- Tổ chức hội nghị đánh giá các phong trào thi đua “Cả nước chung sức xây dựng NTM” "
        "Không ngừng nâng cao chất lượng các tiêu chí gắn với mô hình NTM kiểu mẫu “Sáng, Xanh, "
        "Sạch, Đẹp để phát triển bền vững”giai đoạn 2023-2025.Phong trào thi đua được tuyên "
        "truyền và triển khai tới các ngành, các thôn, các khu dân cư và toàn thể nhân dân. Các "
        "ngành, đoàn thể của xã đều cụ thể hóa việc thực hiện phong trào thi đua thông qua việc "
        "tổ chức các cuộc vận động trong ngành, lĩnh vực mình. Tiếp tục lắp đặt thêm pano, áp "
        "phích, băng ron tuyên truyền NTM ở các nhà văn hóa của thôn, trên các tuyến giao thông, "
        "khu trung tâm các thôn. Đài truyền thanh của xã, thường xuyên thông tin truyền tải các "
        "chủ trương lãnh đạo, chỉ đạo của các cấp về xây dựng NTM. 6 tháng đầu năm đã triển khai "
        "được 7 cuộc họp với 800 lượt người dân tham dự.",
    ),
    "KQ": (
        "Với sự lãnh chỉ đạo quyết liệt của các Cấp ủy, Chính quyền địa phương và BCD xây dựng "
        "NTM xã, sự tích cực tham gia của các Ban ngành đoàn thể, sự đồng thuận cao của các tầng "
        "lớp nhân dân trên địa bàn xã trong phong trào xây dựng NTM, nên việc huy động nguồn lực "
        "để xây dựng NTM ở địa phương đã mang lại hiệu quả cao, nhiều công trình hạ tầng nông "
        "thôn đã được quan tâm xây dựng mới, nâng cấp, cải tạo từng bước đáp ứng nhu cầu sản xuất"
        " và đời sống của người dân nông thôn; hình thành nhiều mô hình phát triển sản xuất theo "
        "hướng kinh tế hàng hóa có hiệu quả, góp phần tích cực vào sự phát triển kinh tế - xã hội"
        " của xã, từng bước nâng cao thu nhập cho người lao động. Đời sống văn hóa tinh thần "
        "không ngừng được nâng lên, an ninh trật tự xã hội được giữ vững, các nhà văn hóa thôn "
        "được nâng cấp, hoạt động văn hoá - thể thao duy trì và phát triển.",
    ),
    "HC": (
        "- Công tác tuyên truyền, quán triệt mục đích, nội dung Chương trình mục tiêu quốc gia "
        "xây dựng NTM đến cán bộ, đảng viên và nhân dân, mặc dù đã được triển khai tích cực, "
        "nhưng vẫn còn một bộ phận nhân dân chưa hiểu đúng tầm quan trọng, ý nghĩa của chương "
        "trình; còn có tư tưởng trông chờ, ỷ lại, chủ quan, nóng vội, ... chưa phát huy được tối "
        "đa vai trò chủ thể của người dân trong cộng đồng dân cư.",
        "- Bên cạnh đó, công tác tổ chức chỉ đạo, thực hiện xây dựng NTM trong chỉ đạo, điều hành"
        " mặc dù có sự chỉ đạo quyết liệt từ lãnh đạo cấp trên, nhưng vẫn còn một số hộ dân chưa "
        "thực sự vào cuộc, chưa quyết liệt trong việc tổ chức triển khai thực hiện.",
        "- Việc chuyển đổi cơ cấu kinh tế và đổi mới mô hình sản xuất trong nông nghiệp còn hạn "
        "chế. Mặt khác, chất lượng nguồn nhân lực nông thôn còn thấp so với yêu cầu, chưa mạnh "
        "dạn mở rộng phát triển mối liên kết với thị trường, liên kết, hợp tác trong sản xuất, "
        "chế biến, tiêu thụ sản phẩm còn hạn chế. Việc áp dụng khoa học, công nghệ vào sản xuất "
        "chưa nhiều; nông nghiệp sạch, nông nghiệp sinh thái, hữu cơ và nông nghiệp ứng dụng công"
        " nghệ cao chưa phát triển.",
    ),
    "NN": (
        "- *Nguyên nhân khách quan*",
        "+ Qua rà soát, đối chiếu với Bộ tiêu chí NTM nâng cao, thôn NTM kiểu mẫu giai đoạn 2022 "
        "- 2025 có một số chỉ tiêu mới đưa vào thực hiện, nên một số chỉ tiêu, tiêu chí của xã "
        "đạt còn thấp so với quy định; một số chỉ tiêu nâng cao cần nguồn vốn để thực hiện nhưng "
        "hiện xã chưa cân đối được nguồn vốn để đầu tư nâng cấp, các tiêu chí theo yêu cầu của Bộ"
        " tiêu chí đề ra.",
        "- Nhu cầu nguồn lực để xây dựng NTM nâng cao, NTM kiểu mẫu là rất lớn. Tuy nhiên, việc "
        "huy động nguồn lực thời gian qua vẫn còn khó khăn chưa đáp ứng được nhu cầu thực tế, "
        "phần nào ảnh hưởng đến mục tiêu chương trình.",
        "+ BCD xây dựng NTM xã đều hoạt động theo chế độ kiêm nhiệm nên kết quả thực hiện nhiệm "
        "vụ được giao phụ trách còn hạn chế.",
        "- *Nguyên nhân chủ quan*",
        "- Bên cạnh đó, công tác tổ chức chỉ đạo, thực hiện xây dựng nông thôn mới trong chỉ đạo,"
        " điều hành mặc dù có sự chỉ đạo quyết liệt từ lãnh đạo cấp trên, nhưng vẫn còn một số hộ"
        " dân chưa thực sự vào cuộc, chưa quyết liệt trong việc tổ chức triển khai thực hiện.",
        "+ Công tác tuyên truyền về xây dựng NTM chưa thường xuyên, hiệu quả chưa cao. Nhận thức "
        "của một bộ phận cán bộ, đảng viên và nhân dân về Chương trình xây dựng NTM còn chưa đầy "
        "đủ và toàn diện; Ý thức bảo vệ môi trường của người dân còn hạn chế.",
    ),
    "KN": (
        "- Tiếp tục bố trí ngân sách để địa phương thực hiện theo đúng lộ trình, theo đó có chính"
        " sách đầu tư hệ thống nước tập trung và cơ sở vật chất cho các trường học để xã hoàn "
        "thành các tiêu chí trong thời gian sớm nhất.",
        "- Đề nghị UBND huyện tiếp tục chỉ đạo hỗ trợ xã về chuyên môn trong suốt quá trình triển"
        " khai thực hiện xây dựng NTM.",
        "- Tiếp tục mở các lớp tập huấn đào tạo, nâng cao trình độ quản lý cho cán bộ thực hiện "
        "nhiệm vụ trong xây dựng NTM.",
    ),
}
