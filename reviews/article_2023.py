"""The real narrative of the 2023 review, from the source article.

Text copied verbatim from the article “Nhìn lại một năm thực hiện Nghị quyết 29-NQ/TU của
Tỉnh ủy về xây dựng và phát triển thành phố Bắc Kạn đến năm 2030, tầm nhìn đến năm 2045”
(backancity.gov.vn, by Đặng Tuyết), split into the parts of the report; only the two
photo captions are left out and doubled spaces made single. The article gives no limits
nor causes, so those parts are not written. Where the text already states the figures,
`include_figures` is off so that the report does not repeat them; the annex tables and
charts still come from the data.

The secretariat amends these like any other part: each change is a new revision. Loaded
with the rest of the article's real data by `portal.seed.load_article_data`.
"""

from django.db import transaction

SOURCE_NOTE = (
    "Trích nguyên văn bài viết “Nhìn lại một năm thực hiện Nghị quyết 29-NQ/TU của Tỉnh ủy về xây dựng và "
    "phát triển thành phố Bắc Kạn đến năm 2030, tầm nhìn đến năm 2045” (backancity.gov.vn, Đặng Tuyết)."
)

# part, include_figures, text (one paragraph a line)
NARRATIVES_2023 = [
    (
        "leadership",
        False,
        "Ngay sau khi Nghị quyết số 29 được ban hành, Ban Thường vụ Thành ủy thành lập Ban Chỉ đạo thực hiện Nghị quyết số 29-NQ/TU; phân công nhiệm vụ cụ thể cho các thành viên để chỉ đạo thực hiện. Ban Chấp hành Đảng bộ thành phố ban hành Chương trình hành động số 11-CTr/TU ngày 10 tháng 4 năm 2023 để cụ thể hóa và triển khai thực hiện Nghị quyết số 29-NQ/TU đề ra. Chỉ đạo các chi, đảng bộ cơ sở, cơ quan, đơn vị, địa phương chủ động lựa chọn hình thức tuyên truyền phù hợp, có trọng tâm thông qua sinh hoạt chi bộ, sinh hoạt của các tổ chức chính trị – xã hội, cụm dân cư, lồng ghép với việc triển khai thực hiện các nhiệm vụ phát triển kinh tế – xã hội, quốc phòng, an ninh, đối ngoại và các sự kiện chính trị của thành phố.\n"
        "Thành phố đẩy mạnh việc quán triệt, tuyên truyền nghị quyết trên các phương tiện thông tin đại chúng. Trung tâm Văn hóa, thể thao và truyền thông thành phố xây dựng kế hoạch tuyên truyền; đặc biệt trên Cổng thông tin điện tử thành phố và hệ thống loa phát thanh cơ sở trên địa bàn; đồng thời tuyên truyền, đăng tải toàn văn Nghị quyết trên các trang thông tin, mạng xã hội Facebook, Zalo của thành phố.\n"
        "Để thực hiện mục tiêu xây dựng thành phố Bắc Kạn xứng đáng với vị trí trung tâm chính trị, kinh tế, văn hóa, xã hội của tỉnh; mang bản sắc văn hóa các dân tộc vùng Đông Bắc; là điểm hấp dẫn với các nhà đầu tư và du khách. Tạo bước chuyển biến rõ nét về phát triển kinh tế – xã hội; trong đó, đưa thương mại, dịch vụ – du lịch trở thành lĩnh vực kinh tế mũi nhọn; đẩy mạnh phát triển công nghiệp – tiểu thủ công nghiệp. Xây dựng và phát triển kết cấu hạ tầng đô thị đồng bộ, hiện đại gắn với thực hiện nếp sống văn hóa, văn minh đô thị. Bảo tồn, phát huy các giá trị văn hóa truyền thống dân tộc, nâng cao chất lượng cuộc sống của Nhân dân. Ban Thường vụ Thành ủy đã tập trung lãnh đạo, chỉ đạo quyết liệt, đồng bộ các giải pháp; trong đó chú trọng đẩy mạnh công tác quán triệt, tuyên truyền các nội dung Nghị quyết và chỉ đạo thực hiện có hiệu quả các mục tiêu nghị quyết đề ra; qua đó nâng cao nhận thức và hành động của cả hệ thống chính trị, cán bộ, đảng viên và Nhân dân cùng chung tay xây dựng, phát triển thành phố Bắc Kạn.",
    ),
    (
        "investment",
        False,
        "Trong năm 2023, thành phố tập trung thực hiện 02 dự án trọng điểm là dự án Đường vào hồ Nặm Cắt và dự án Xây dựng sân vận động tỉnh và các hạng mục phụ trợ; đường kết nối Phiêng My; Khu dân cư Thôm Dầy; Đầu tư xây dựng, cải tạo, nâng cấp 04 công trình trường học; Khu dân cư thôn Phặc Tràng; đầu tư xây hạ tầng kỹ thuật khu dân cư đô thị tại tổ Xây dựng và tổ Pá Danh, phường Huyền Tụng. Đẩy mạnh thu hút các nhà đầu tư triển khai các dự án (Khu dân cư thương mại và chợ Nguyễn Thị Minh Khai, Khu dân cư Central Hill Bắc Kạn; Dự án Khu dân cư Đức Xuân 4.",
    ),
    (
        "industry",
        False,
        "Thành phố quy hoạch và phát triển 04 cụm công nghiệp (giai đoạn 2021-2025) gồm: Cụm công nghiệp Huyền Tụng, cụm Công nghiệp Huyền Tụng I, II và cụm Công nghiệp Sông Cầu.",
    ),
    (
        "trade",
        False,
        "Thành phố tập trung phát triển ngành kinh tế mũi nhọn là lĩnh vực thương mại, dịch vụ với nhiều loại hình. Hệ thống các chợ trên địa bàn được triển khai mô hình chợ 4.0 thanh toán không dùng tiền mặt; kết nối với các tổ chức kinh tế, hợp tác xã, cá nhân trên tham gia các gian hàng trưng bày tại các chương trình xúc tiến thương mại; giới thiệu quảng bá các sản phẩm OCOP và nông sản tiềm năng của địa phương tại các sự kiện trong và ngoài tỉnh. Hiện tại, thành phố có tổng số 4.086 hộ kinh doanh đang hoạt động, tăng gần 200 hộ so với cùng kỳ năm 2022. Các kênh lưu thông hàng hóa hình thành ngày một đa dạng, phong phú. Các địa điểm kinh doanh, cửa hàng tiện lợi, khu vực mua sắm, siêu thị phát triển và duy trì có hiệu quả, đáp ứng nhu cầu tiêu dùng của người dân.",
    ),
    (
        "agriculture",
        False,
        "Sản xuất – nông lâm nghiệp theo hướng sản xuất hàng hóa và ứng dụng công nghệ cao được thành phố quan tâm đẩy mạnh. Phát triển chăn nuôi theo hướng gia trại, trang trại gắn với ứng dụng công nghệ cao và liên kết tiêu thụ sản phẩm. Làm tốt công tác quản lý, bảo vệ và phát triển rừng. Quan tâm phát triển kinh tế tập thể và ngành nghề nông thôn. Tạo điều kiện thuận lợi để kinh tế tập thể, kinh tế hợp tác và các loại hình kinh tế khác phát triển. Tiếp tục thực hiện các nội dung dự án liên kết chuỗi giá trị trong tiêu thụ sản phẩm thực hiện năm 2023 (HTX Nông nghiệp Tân Thành). Có 01 mô hình HTX kiểu mới điển hình vững mạnh trong liên kết và tiêu thụ sản phẩm theo chuỗi giá trị 01 HTX (HTX Minh Anh). Hướng dẫn các HTX chăm sóc cây trồng, vật nuôi theo hướng ATVSTP, VietGap.",
    ),
    (
        "culture_society",
        True,
        "Các hoạt động giáo dục, y tế, văn hóa, an sinh xã hội được quan tâm. Công tác đối thoại, tiếp công dân được tăng cường.",
    ),
    (
        "defence_security",
        True,
        "Công tác quốc phòng quân sự địa phương được củng cố; tình hình an ninh chính trị, trật tự an toàn xã hội được giữ vững, ổn định.",
    ),
    (
        "political_system",
        True,
        "Nhiệm vụ xây dựng hệ thống chính trị được chú trọng; kỷ cương, kỷ luật công vụ có sự chuyển biến tích cực; trách nhiệm người đứng đầu cấp uỷ, chính quyền, Mặt trận Tổ quốc, đoàn thể các cấp từ thành phố đến phường, xã từng bước được nâng cao. Công tác xây dựng, chỉnh đốn Đảng được tăng cường. Khối chính quyền thực hiện tốt quy chế làm việc; tập trung, nâng cao hiệu quả giám sát, điều hành toàn diện trên các lĩnh vực. MTTQ và các đoàn thể làm tốt vai trò tuyên truyền, vận động đoàn viên, hội viên và Nhân dân tham gia xây dựng Đảng, chính quyền, phát huy quyền làm chủ của Nhân dân.",
    ),
    (
        "digital_reform",
        False,
        "Trong năm qua, thành phố đẩy mạnh chuyển đổi số, cải cách hành chính; cải thiện mạnh mẽ môi trường đầu tư, kinh doanh. Thành phố thành lập Ban Chỉ đạo và Tổ giúp việc Ban chỉ đạo về cải cách hành chính và chuyển đổi số. Tập trung triển khai nhiệm vụ xây dựng chính quyền điện tử và thực hiện chuyển đổi số trên 3 trụ cột là chính quyền số, kinh tế số và xã hội số. Cải cách hành chính được quan tâm, số hồ sơ phát sinh trực tuyến toàn trình của thành phố đạt 2.715; số hồ sơ phát sinh trực tuyến 1 phần 1.794; cung cấp thông tin trực tuyến nhận trực tiếp 3.171 hồ sơ; tỷ lệ dịch vụ công trực tuyến cấp thành phố đạt 58,37%. Tổ chức triển khai thực hiện thí điểm chuyển đổi số phường Sông Cầu.",
    ),
    (
        "strengths",
        True,
        "Trong năm 2023, cấp ủy, chính quyền thành phố đã tập trung lãnh đạo, chỉ đạo thực hiện các mục tiêu, nhiệm vụ nghị quyết đề ra bước đầu đạt được một số kết quả quan trọng.",
    ),
    (
        "directions",
        False,
        "Phát huy kết quả đạt được, thời gian tới, thành phố Bắc Kạn tiếp tục rà soát các mục tiêu, nhiệm vụ để tập trung chỉ đạo thực hiện có hiệu quả Nghị quyết số 29-NQ/TU ngày 25/10/2022 của Ban Thường vụ Tỉnh ủy về xây dựng và phát triển thành phố Bắc Kạn đến năm 2030, tầm nhìn đến năm 2045. Đẩy mạnh phát triển thương mại, nâng cao chất lượng các loại hình dịch vụ và thu hút đầu tư. Hoàn thành xây dựng tuyến phố đi bộ thành phố Bắc Kạn. Tiếp tục hỗ trợ, tạo điều kiện để nhà đầu tư khảo sát, xây dựng các khu đô thị kết hợp du lịch nghỉ dưỡng, du lịch sinh thái, du lịch tâm linh, khu vui chơi giải trí, văn hóa thể thao và du lịch trải nghiệm tìm hiểu bản sắc văn hóa dân tộc gắn với nông nghiệp sinh thái. Trong đó, tập trung xây dựng điểm du lịch hồ Nặm Cắt trở thành điểm du lịch cấp tỉnh, là điểm đến hấp dẫn kết nối với du lịch hồ Ba Bể và các vùng lân cận. Thu hút các nhà đầu tư sản xuất kinh doanh tại Cụm công nghiệp Huyền Tụng và tiếp tục nghiên cứu quy hoạch mới các cụm Công nghiệp khác trên địa bàn. Chủ động rà soát các nguồn thu, phấn đấu hoàn thành chỉ tiêu thu ngân sách năm 2024; nâng cao hiệu quả sử dụng các nguồn vốn; xây dựng kế hoạch tài chính 03 năm giai đoạn 2024 – 2026.\n"
        "Tập trung phát triển sản xuất nông- lâm nghiệp bền vững, hiệu quả theo hướng sản xuất hàng hóa xanh, sạch, an toàn, giá trị kinh tế cao gắn với ứng dụng tiến bộ khoa học, công nghệ; hình thành vùng nguyên liệu cung cấp cho các hợp tác xã trên địa bàn. Tạo điều kiện mở rộng quy mô, nâng cao hiệu quả hoạt động của các hợp tác xã. Tăng cường các hoạt động xúc tiến thương mại, quảng bá thương hiệu các sản phẩm tiềm năng, lợi thế của thành phố Bắc Kạn.",
    ),
]


@transaction.atomic
def load_article_narratives() -> int:
    """Write the 2023 parts that are not written yet. Returns how many were written."""
    from .models import PartNarrative, PartNarrativeRevision

    written = 0
    for part, include_figures, text in NARRATIVES_2023:
        narrative, created = PartNarrative.objects.get_or_create(
            year=2023, part=part, defaults={"text": text, "include_figures": include_figures, "version": 1}
        )
        if created:
            PartNarrativeRevision.objects.create(
                narrative=narrative, version=1, text=text, include_figures=include_figures, source="seed", note=SOURCE_NOTE
            )
            written += 1
    return written
