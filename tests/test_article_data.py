"""The real data of the source article is loaded, complete, and shown in Vietnamese."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import IndicatorValue
from periods.models import ReportStatus, UnitReport
from projects.models import Project, ProjectCategory
from resolutions.models import ActionProgramme, Resolution, SteeringCommittee, TaskUpdate

pytestmark = pytest.mark.django_db

ARTICLE_FIGURES = {
    "ho-kinh-doanh": Decimal("4086"),
    "ho-so-truc-tuyen-toan-trinh": Decimal("2715"),
    "ho-so-truc-tuyen-mot-phan": Decimal("1794"),
    "ho-so-nhan-truc-tiep": Decimal("3171"),
    "ty-le-dich-vu-cong-truc-tuyen": Decimal("58.37"),
    "htx-kieu-moi-dien-hinh": Decimal("1"),
    "cong-trinh-truong-hoc": Decimal("4"),
}

ARTICLE_PROJECTS = [
    "Đường vào hồ Nặm Cắt",
    "Xây dựng sân vận động tỉnh và các hạng mục phụ trợ",
    "Đường kết nối Phiêng My",
    "Khu dân cư Thôm Dầy",
    "Đầu tư xây dựng, cải tạo, nâng cấp 04 công trình trường học",
    "Khu dân cư thôn Phặc Tràng",
    "Đầu tư xây dựng hạ tầng kỹ thuật khu dân cư đô thị tại tổ Xây dựng và tổ Pá Danh, phường Huyền Tụng",
    "Khu dân cư thương mại và chợ Nguyễn Thị Minh Khai",
    "Khu dân cư Central Hill Bắc Kạn",
    "Khu dân cư Đức Xuân 4",
    "Cụm công nghiệp Huyền Tụng",
    "Cụm công nghiệp Huyền Tụng I",
    "Cụm công nghiệp Huyền Tụng II",
    "Cụm công nghiệp Sông Cầu",
    "Tuyến phố đi bộ thành phố Bắc Kạn",
]


def test_the_resolution_and_programme_carry_the_articles_dates_and_issuers(article_data):
    resolution = Resolution.objects.get(number="29-NQ/TU")
    assert resolution.issued_on == datetime.date(2022, 10, 25)
    assert resolution.issuer == "Ban Thường vụ Tỉnh ủy Bắc Kạn"
    assert (resolution.horizon_year, resolution.vision_year) == (2030, 2045)
    assert resolution.goals.filter(kind="general").exists()
    programme = ActionProgramme.objects.get(number="11-CTr/TU")
    assert programme.issued_on == datetime.date(2023, 4, 10)
    assert programme.issuer == "Ban Chấp hành Đảng bộ thành phố Bắc Kạn"
    assert programme.resolution == resolution
    assert SteeringCommittee.objects.get(resolution=resolution).established_by == "Ban Thường vụ Thành ủy Bắc Kạn"


def test_every_figure_the_article_states_is_recorded_for_2023(article_data):
    values = {value.indicator.code: value for value in IndicatorValue.objects.select_related("indicator", "period")}
    assert {code: values[code].value for code in ARTICLE_FIGURES} == ARTICLE_FIGURES
    assert all(value.period.label == "Quý IV/2023" for value in values.values())
    assert values["ho-kinh-doanh"].comparison_note == "Tăng gần 200 hộ so với cùng kỳ năm 2022"
    assert "HTX Minh Anh" in values["htx-kieu-moi-dien-hinh"].note


def test_no_precise_figure_is_invented_for_2022(article_data):
    assert not IndicatorValue.objects.filter(period__year=2022).exists()


def test_every_project_and_industrial_cluster_the_article_names_is_there(article_data):
    names = set(Project.objects.values_list("name", flat=True))
    assert set(ARTICLE_PROJECTS) <= names
    assert Project.objects.filter(category=ProjectCategory.INDUSTRIAL_CLUSTER).count() == 4
    assert set(Project.objects.key_projects().values_list("name", flat=True)) == set(ARTICLE_PROJECTS[:2])
    assert Project.objects.get(code="lien-ket-chuoi-htx-tan-thanh").investor == "HTX Nông nghiệp Tân Thành"


def test_the_song_cau_pilot_is_reported_by_the_ward(article_data):
    update = TaskUpdate.objects.select_related("task", "unit").get(
        task__content__contains="Thí điểm chuyển đổi số phường Sông Cầu"
    )
    assert update.unit.name == "Phường Sông Cầu"


def test_the_published_2023_figures_are_approved_and_so_official(article_data):
    assert IndicatorValue.objects.approved().count() == len(ARTICLE_FIGURES)
    assert set(UnitReport.objects.values_list("status", flat=True)) == {ReportStatus.APPROVED}


def test_loading_again_changes_nothing(article_data):
    from portal import seed

    before = IndicatorValue.objects.count()
    assert seed.load_article_data() is False
    assert IndicatorValue.objects.count() == before


def test_the_home_page_shows_the_figures_in_vietnamese_format(client, article_data, leader):
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    for text in [
        "4.086",
        "2.715",
        "1.794",
        "3.171",
        "58,37%",
        "29-NQ/TU",
        "11-CTr/TU",
        "25/10/2022",
        "10/04/2023",
        "2030",
        "2045",
    ]:
        assert text in page, text
    assert "2.030" not in page and "2.045" not in page
    assert "Tăng gần 200 hộ so với cùng kỳ năm 2022" in page
    for name in ARTICLE_PROJECTS:
        assert name in page, name
    assert "Quý IV/2023" in page


def test_the_home_page_runs_a_fixed_number_of_queries(client, article_data, leader, django_assert_max_num_queries):
    client.force_login(leader)
    with django_assert_max_num_queries(14):
        client.get(reverse("home"))


def test_the_loaded_figures_have_their_first_history_row(article_data):
    from periods.models import ChangeSource, FigureChange

    value = IndicatorValue.objects.get(indicator__code="ho-kinh-doanh")
    change = value.changes.get(field="value")
    assert (change.old_value, change.new_value, change.source) == (None, "4086", ChangeSource.SEED)
    assert FigureChange.objects.filter(source=ChangeSource.SEED).count() >= IndicatorValue.objects.count()


def test_the_directions_for_the_coming_period_start_in_2024(article_data):
    from resolutions.models import Task

    started_2023 = Task.objects.started_by(datetime.date(2023, 12, 31))
    assert started_2023.count() == 17
    assert not started_2023.filter(content__contains="tuyến phố đi bộ").exists()


def test_an_officer_sees_other_units_figures_on_the_home_page_only_once_approved(client, article_data, ward_officer, other_ward):
    from tests import factories

    period = factories.make_period(2024, 1)
    indicator = factories.make_indicator(responsible_unit=other_ward, name="Chỉ tiêu của phường khác")
    factories.make_indicator_value(indicator=indicator, period=period, value="777")
    client.force_login(ward_officer)
    assert "777" not in client.get(reverse("home")).content.decode()
    factories.set_report_status(other_ward, period, ReportStatus.APPROVED)
    assert "777" in client.get(reverse("home")).content.decode()
