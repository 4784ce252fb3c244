"""The 2023 report built from the shipped real data states the source article's facts,
in Vietnamese format — read back from the PDF with pdftotext."""

import datetime
import subprocess

import pytest

from reviews.compose import IssueDetails, compose_review
from reviews.models import PartNarrative
from reviews.rendering import render_pdf

from .conftest import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db

DETAILS = IssueDetails(report_date=datetime.date(2023, 12, 20), number="45", signer_position="Bí thư")

# Every figure, project, date and issuer the article gives.
ARTICLE_FACTS = [
    "Nghị quyết số 29-NQ/TU ngày 25/10/2022",
    "Ban Thường vụ Tỉnh ủy",
    "đến năm 2030, tầm nhìn đến năm 2045",
    "Chương trình hành động số 11-CTr/TU ngày 10/4/2023",
    "Ban Chấp hành Đảng bộ thành phố",
    "Ban Thường vụ Thành ủy",
    "Ban Chỉ đạo thực hiện Nghị quyết số 29-NQ/TU",
    "Facebook, Zalo",
    "02 dự án trọng điểm",
    "Đường vào hồ Nặm Cắt",
    "Xây dựng sân vận động tỉnh và các hạng mục phụ trợ",
    "Phiêng My",
    "Khu dân cư Thôm Dầy",
    "04 công trình trường học",
    "Khu dân cư thôn Phặc Tràng",
    "tổ Xây dựng và tổ Pá Danh, phường Huyền Tụng",
    "Khu dân cư thương mại và chợ Nguyễn Thị Minh Khai",
    "Khu dân cư Central Hill Bắc Kạn",
    "Khu dân cư Đức Xuân 4",
    "04 cụm công nghiệp",
    "Cụm công nghiệp Huyền Tụng",
    "Cụm công nghiệp Huyền Tụng I",
    "Cụm công nghiệp Huyền Tụng II",
    "Cụm công nghiệp Sông Cầu",
    "2021",
    "chợ 4.0",
    "OCOP",
    "4.086",
    "hộ kinh doanh",
    "tăng gần 200 hộ so với cùng kỳ năm 2022",
    "HTX Nông nghiệp Tân Thành",
    "01 mô hình HTX kiểu mới",
    "HTX Minh Anh",
    "3 trụ cột",
    "2.715",
    "1.794",
    "3.171",
    "58,37%",
    "thí điểm chuyển đổi số phường Sông Cầu",
    "phố đi bộ thành phố Bắc Kạn",
    "hồ Ba Bể",
    "Cụm công nghiệp Huyền Tụng và tiếp tục nghiên cứu quy hoạch mới",
    "thu ngân sách năm 2024",
    "2024 – 2026",
]


def page_texts(path) -> list[str]:
    output = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return output.split("\f")[:-1]


def test_the_2023_report_from_the_data_alone_states_every_fact_of_the_article(article_data, tmp_path):
    PartNarrative.objects.filter(year=2023).delete()
    path = tmp_path / "review-2023.pdf"
    render_pdf(compose_review(2023, details=DETAILS), path)
    text = pdf_text(path)

    assert [fact for fact in ARTICLE_FACTS if fact not in text] == []
    # The sentences composed from the figures and the catalogue, not only the units' text:
    assert (
        "Trong năm 2023, thành phố tập trung thực hiện 02 dự án trọng điểm là dự án Đường vào hồ Nặm Cắt "
        "và dự án Xây dựng sân vận động tỉnh và các hạng mục phụ trợ." in text
    )
    assert "Số hộ kinh doanh đang hoạt động đạt 4.086 hộ, tăng gần 200 hộ so với cùng kỳ năm 2022." in text
    assert (
        "Thành phố quy hoạch và phát triển 04 cụm công nghiệp (giai đoạn 2021–2025) gồm: Cụm công nghiệp Huyền Tụng, "
        "Cụm công nghiệp Huyền Tụng I, Cụm công nghiệp Huyền Tụng II và Cụm công nghiệp Sông Cầu." in text
    )
    assert "Số hồ sơ phát sinh trực tuyến toàn trình đạt 2.715 hồ sơ." in text
    assert "Số hồ sơ phát sinh trực tuyến một phần đạt 1.794 hồ sơ." in text
    assert "Số hồ sơ cung cấp thông tin trực tuyến, tiếp nhận trực tiếp đạt 3.171 hồ sơ." in text
    assert "Tỷ lệ dịch vụ công trực tuyến cấp thành phố đạt 58,37%." in text
    assert "Ban Thường vụ Thành ủy Bắc Kạn đã thành lập Ban Chỉ đạo thực hiện Nghị quyết số 29-NQ/TU." in text
    assert (
        "Ban Chấp hành Đảng bộ thành phố Bắc Kạn ban hành Chương trình hành động số 11-CTr/TU ngày 10/4/2023 "
        "để cụ thể hóa và triển khai thực hiện Nghị quyết số 29-NQ/TU ngày 25/10/2022 của Ban Thường vụ Tỉnh ủy Bắc Kạn." in text
    )
    assert (
        "Dự án liên kết chuỗi giá trị được thực hiện trong năm: Dự án liên kết chuỗi giá trị trong tiêu thụ sản phẩm (HTX Nông nghiệp Tân Thành)."
        in text
    )
    assert (
        "Trong tổng số 17 nhiệm vụ của Chương trình hành động số 11-CTr/TU, đến hết Quý IV/2023: 03 nhiệm vụ hoàn thành đúng hạn"
        in text
    )
    assert "không có nhiệm vụ quá hạn chưa hoàn thành" in text


def test_the_2023_report_with_the_shipped_narrative_reads_as_the_article_in_the_party_format(article_data, tmp_path):
    path = tmp_path / "review-2023.pdf"
    result = render_pdf(compose_review(2023, details=DETAILS), path)
    text = pdf_text(path)

    assert [fact for fact in ARTICLE_FACTS if fact not in text] == []
    assert "Hiện tại, thành phố có tổng số 4.086 hộ kinh doanh đang hoạt động, tăng gần 200 hộ so với cùng kỳ năm 2022." in text
    # The narrative states the figures, so the generated sentence is not repeated.
    assert "Số hộ kinh doanh đang hoạt động đạt 4.086 hộ" not in text

    pages = page_texts(path)
    assert len(pages) == result.pages >= 8
    first = " ".join(pages[0].split())
    order = [
        "ĐẢNG BỘ TỈNH BẮC KẠN",
        "THÀNH ỦY BẮC KẠN",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Bắc Kạn, ngày 20 tháng 12 năm 2023",
        "BÁO CÁO",
    ]
    positions = [first.find(item) for item in order]
    assert -1 not in positions and "Số 45-BC/TU" in first
    assert positions[-1] == max(positions)  # the title comes after the header
    assert "Kết quả thực hiện Nghị quyết số 29-NQ/TU ngày 25/10/2022 của Ban Thường vụ Tỉnh ủy Bắc Kạn" in first
    # Page numbers: none on the first page, then centred at the top of every page.
    assert not pages[0].strip().startswith("1")
    assert [page.strip().split("\n")[0] for page in pages[1:]] == [str(n) for n in range(2, len(pages) + 1)]
    assert "Phụ lục 01" in text and "Phụ lục 02" in text and "Phụ lục 03" in text
    assert "Biểu đồ 1." in text and "Biểu đồ 2." in text
    assert "T/M BAN THƯỜNG VỤ" in text and "BÍ THƯ" in text and "Nơi nhận:" in text

    fonts = pdf_fonts(path)
    assert fonts and all(
        name.split("+")[-1] in {"BK-Serif", "BK-Serif-Bold", "BK-Serif-Italic", "BK-Serif-Bold-Italic", "BK-Sans", "BK-Sans-Bold"}
        for name in fonts
    ), fonts


def test_the_same_content_renders_to_the_same_bytes(article_data, tmp_path):
    content = compose_review(2023, details=DETAILS)
    first = render_pdf(content, tmp_path / "a.pdf")
    second = render_pdf(content, tmp_path / "b.pdf")
    assert first.sha256 == second.sha256
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"]  # no temporary file left
