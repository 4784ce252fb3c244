"""The composer turns approved figures into the report's sentences, annex rows and
charts, in a fixed number of queries."""

import datetime

import pytest

from indicators.models import IndicatorValue
from periods.models import ReportStatus
from reviews.compose import IssueDetails, compose_review, content_sha256
from reviews.models import PartNarrative, ReviewPart
from tests import factories

pytestmark = pytest.mark.django_db

DETAILS = IssueDetails(report_date=datetime.date(2024, 12, 20), number="12", signer_position="Bí thư", signer_name="Nguyễn Văn A")


def all_text(content: dict) -> str:
    texts = []
    for section in content["sections"]:
        for block in [section["block"]] + [sub["block"] for sub in section["subsections"]]:
            if block:
                texts += [paragraph["text"] for paragraph in block["paragraphs"]]
    return "\n".join(texts)


def annex(content: dict, number: str) -> dict:
    return next(item for item in content["annexes"] if item["number"] == number)


def test_an_indicator_reads_as_percent_of_plan_and_change_on_the_same_period(year_2024):
    text = all_text(compose_review(2024, details=DETAILS))
    assert (
        "Số hộ kinh doanh đang hoạt động đạt 4.086 hộ, đạt 102,15% kế hoạch, tăng 186 hộ (4,77%) so với cùng kỳ năm 2023." in text
    )
    assert "Tỷ lệ dịch vụ công trực tuyến đạt 58,37%, tăng 3,37 điểm phần trăm so với cùng kỳ năm 2023." in text


def test_figures_of_a_report_not_yet_approved_do_not_count_and_the_report_says_so(year_2024, other_ward):
    content = compose_review(2024, details=DETAILS)
    assert "777" not in all_text(content)
    unapproved_row = next(row for group in annex(content, "01")["groups"] for row in group["rows"] if "chưa duyệt" in row[1])
    assert unapproved_row[4] == ""  # no actual
    assert "Chưa có số liệu được duyệt." in unapproved_row[8]
    assert other_ward.name in all_text(content)
    assert content["basis"]["pending_units"] == [other_ward.name]


def test_tasks_are_counted_on_time_overdue_within_deadline_and_recurring(year_2024):
    text = all_text(compose_review(2024, details=DETAILS))
    assert (
        "Trong tổng số 04 nhiệm vụ của Chương trình hành động số 99-CTr/TU, đến hết Quý IV/2024: 01 nhiệm vụ hoàn thành đúng hạn, "
        "01 nhiệm vụ đang thực hiện, trong hạn, 01 nhiệm vụ thực hiện thường xuyên; "
        "còn 01 nhiệm vụ quá hạn chưa hoàn thành." in text
    )
    assert "Nhiệm vụ đã quá hạn (chủ trì: Phường Sông Cầu; thời hạn: 30/09/2024)." in text


def test_the_units_reports_fill_a_part_until_the_secretariat_writes_it(year_2024, secretariat):
    content = compose_review(2024, details=DETAILS)
    trade = content["sections"][1]["subsections"][1]
    assert trade["title"] == ReviewPart.TRADE.label
    kinds = [p["kind"] for p in trade["block"]["paragraphs"]]
    assert "reported" in kinds and "fact" in kinds

    PartNarrative.objects.create(
        year=2024, part=ReviewPart.TRADE, text="Dòng một.\n\nDòng hai.", include_figures=False, version=1
    )
    trade = compose_review(2024, details=DETAILS)["sections"][1]["subsections"][1]
    assert [(p["kind"], p["text"]) for p in trade["block"]["paragraphs"]] == [
        ("narrative", "Dòng một."),
        ("narrative", "Dòng hai."),
    ]

    PartNarrative.objects.filter(part=ReviewPart.TRADE).update(include_figures=True)
    trade = compose_review(2024, details=DETAILS)["sections"][1]["subsections"][1]
    kinds = [p["kind"] for p in trade["block"]["paragraphs"]]
    assert kinds[:2] == ["narrative", "narrative"] and "fact" in kinds and "reported" not in kinds


def test_the_header_follows_the_party_document_format():
    header = compose_review(2024, details=DETAILS)["header"]
    assert header["superior"] == "ĐẢNG BỘ TỈNH BẮC KẠN"
    assert header["issuer"] == "THÀNH ỦY BẮC KẠN"
    assert header["party"] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert header["number"] == "Số 12-BC/TU"
    assert header["place_date"] == "Bắc Kạn, ngày 20 tháng 12 năm 2024"
    assert header["kind"] == "BÁO CÁO"
    blank = compose_review(2024, details=IssueDetails(report_date=datetime.date(2025, 1, 5)))["header"]
    assert (
        blank["number"].startswith("Số") and blank["number"].endswith("-BC/TU") and not any(c.isdigit() for c in blank["number"])
    )
    assert blank["place_date"] == "Bắc Kạn, ngày 05 tháng 01 năm 2025"


def test_the_content_is_plain_data_and_its_hash_is_stable(year_2024):
    import json

    first = compose_review(2024, details=DETAILS)
    json.dumps(first)  # storable as the job's snapshot
    assert content_sha256(first) == content_sha256(compose_review(2024, details=DETAILS))
    households = IndicatorValue.objects.get(indicator=year_2024["households"], period=year_2024["q4"])
    factories.set_report_status(households.unit, households.period, ReportStatus.RETURNED)
    assert content_sha256(compose_review(2024, details=DETAILS)) != content_sha256(first)


def test_composing_takes_the_same_number_of_queries_whatever_the_data_size(year_2024, ward, django_assert_num_queries):
    with django_assert_num_queries(15):
        compose_review(2024, details=DETAILS)
    q4 = year_2024["q4"]
    factories.set_report_status(ward, q4, ReportStatus.DRAFT)
    for n in range(12):
        task = factories.make_task(lead_unit=ward, deadline=datetime.date(2024, 3, 1))
        factories.make_task_update(task=task, period=q4, narrative=f"Báo cáo {n}")
        project = factories.make_project(managing_unit=ward, is_key=n % 2 == 0)
        factories.make_project_update(project=project, period=q4, progress_percent=n * 5)
        indicator = factories.make_indicator(responsible_unit=ward)
        factories.make_indicator_value(indicator=indicator, period=q4, value=str(n + 1))
    factories.set_report_status(ward, q4, ReportStatus.APPROVED)
    with django_assert_num_queries(15):
        content = compose_review(2024, details=DETAILS)
    assert len(annex(content, "03")["groups"]) > 2


def test_a_rate_to_bring_down_is_judged_against_its_ceiling_and_figures_agree_with_what_is_printed(ward):
    from decimal import Decimal

    from indicators.models import Direction, IndicatorTarget, ValueType

    q4, q4_before = factories.make_period(2024, 4), factories.make_period(2023, 4)
    poverty = factories.make_indicator(
        responsible_unit=ward,
        name="Tỷ lệ hộ nghèo",
        unit_of_measure="%",
        value_type=ValueType.RATIO,
        decimal_places=2,
        direction=Direction.LOWER_IS_BETTER,
    )
    IndicatorTarget.objects.create(indicator=poverty, year=2024, value=Decimal("1.5"))
    factories.make_indicator_value(indicator=poverty, period=q4, value="2.4")
    factories.make_indicator_value(indicator=poverty, period=q4_before, value="2.6")
    models = factories.make_indicator(responsible_unit=ward, name="Số mô hình HTX", unit_of_measure="HTX")
    IndicatorTarget.objects.create(indicator=models, year=2024, value=Decimal("3"))
    factories.make_indicator_value(indicator=models, period=q4, value="1.18")  # stored with decimals, printed as 01
    factories.make_indicator_value(indicator=models, period=q4_before, value="1.2")
    for period in (q4, q4_before):
        factories.set_report_status(ward, period, ReportStatus.APPROVED)

    content = compose_review(2024, details=DETAILS)
    text = all_text(content)
    assert "Tỷ lệ hộ nghèo là 2,4%, chưa đạt kế hoạch (không quá 1,5%), giảm 0,20 điểm phần trăm so với cùng kỳ năm 2023." in text
    assert "Số mô hình HTX đạt 01 HTX, đạt 33,33% kế hoạch, bằng cùng kỳ năm 2023." in text
    assert (
        "Có 02 chỉ tiêu chưa đạt kế hoạch năm 2024: Tỷ lệ hộ nghèo (kế hoạch không quá 1,5%); Số mô hình HTX (33,33% kế hoạch)."
        in text
    )
    rows = {row[1]: row for group in annex(content, "01")["groups"] for row in group["rows"]}
    assert rows["Tỷ lệ hộ nghèo"][5] == "" and "càng thấp càng tốt" in rows["Tỷ lệ hộ nghèo"][8]
    assert [chart["bars"] for chart in annex(content, "01")["charts"]][0][0]["label"] == "Số mô hình HTX"
