"""Who sees what. Leaders and the secretariat see every unit. An officer sees their own
unit's slice — what it leads, supports, manages or answers for — whatever the link asks,
and is refused the pages of other units' indicators, projects, tasks and units."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LISTS = ["overview", "indicators", "projects", "tasks", "units"]


def test_signed_out_visitors_are_sent_to_sign_in(client, city):
    for name in LISTS:
        response = client.get(reverse(f"dashboards:{name}"))
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize("persona", ["leader", "secretariat"])
def test_leaders_and_the_secretariat_see_every_unit(client, city, persona, request):
    client.force_login(request.getfixturevalue(persona))
    indicators = client.get(reverse("dashboards:indicators")).context["page"].object_list
    assert {row.indicator.code for row in indicators} == {"ho-kinh-doanh-test", "ty-le-ho-ngheo-test", "htx-test"}
    units = client.get(reverse("dashboards:units")).context["rows"]
    assert {row.unit.pk for row in units} == {city.ward.pk, city.other_ward.pk, city.department.pk}
    for url in (
        reverse("dashboards:indicator_detail", args=["ho-kinh-doanh-test"]),
        reverse("dashboards:project_detail", args=["duong-nam-cat-test"]),
        reverse("dashboards:task_detail", args=[city.tasks["within"].pk]),
        reverse("dashboards:unit_detail", args=[city.other_ward.code]),
    ):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("query", ["", "?don_vi=phong-kinh-te-test"])
def test_an_officer_sees_only_their_units_slice_whatever_the_link_says(client, city, ward_officer, query):
    client.force_login(ward_officer)

    def page(name):
        return client.get(reverse(f"dashboards:{name}") + query)

    overview = page("overview")
    assert overview.context["data"].tasks.total == 3  # NV-01 and NV-04 led, NV-02 supported
    assert [row.unit.pk for row in overview.context["data"].compliance] == [city.ward.pk]
    assert overview.context["data"].key_projects == []
    assert [row.indicator.code for row in overview.context["data"].indicators] == ["ty-le-ho-ngheo-test"]

    indicators = page("indicators")
    assert [row.indicator.code for row in indicators.context["page"].object_list] == ["ty-le-ho-ngheo-test"]
    assert "Số hộ kinh doanh" not in indicators.content.decode()

    projects = page("projects")
    assert [row.project.code for row in projects.context["page"].object_list] == ["truong-mam-non-test"]
    assert "Nặm Cắt" not in projects.content.decode()

    tasks = page("tasks")
    assert sorted(task.code for task in tasks.context["board"].tasks) == ["NV-01", "NV-02", "NV-04"]

    units = page("units")
    assert [row.unit.pk for row in units.context["rows"]] == [city.ward.pk]
    assert "Phường Đức Xuân" not in units.content.decode()
    assert units.context["filters"].unit == city.ward


def test_an_officer_is_refused_other_units_detail_pages(client, city, ward_officer):
    client.force_login(ward_officer)
    for url in (
        reverse("dashboards:indicator_detail", args=["ho-kinh-doanh-test"]),
        reverse("dashboards:project_detail", args=["duong-nam-cat-test"]),
        reverse("dashboards:task_detail", args=[city.tasks["within"].pk]),
        reverse("dashboards:unit_detail", args=[city.department.code]),
        reverse("dashboards:unit_detail", args=[city.other_ward.code]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "4.400" not in response.content.decode()


def test_an_officer_opens_their_own_units_detail_pages(client, city, ward_officer):
    client.force_login(ward_officer)
    for url in (
        reverse("dashboards:indicator_detail", args=["ty-le-ho-ngheo-test"]),
        reverse("dashboards:project_detail", args=["truong-mam-non-test"]),
        reverse("dashboards:task_detail", args=[city.tasks["overdue"].pk]),
        reverse("dashboards:unit_detail", args=[city.ward.code]),
    ):
        assert client.get(url).status_code == 200, url


def test_on_a_shared_task_an_officer_sees_only_their_own_units_reports(client, city, ward_officer):
    client.force_login(ward_officer)
    response = client.get(reverse("dashboards:task_detail", args=[city.tasks["on_time"].pk]))  # led by the department
    assert response.status_code == 200
    assert [update.unit_id for update in response.context["updates"]] == [city.ward.pk]
    assert "Phường đã phối hợp" in response.content.decode()


def test_every_role_finds_the_dashboards_in_the_menu(client, city, leader, secretariat, ward_officer):
    for user in (leader, secretariat, ward_officer):
        client.force_login(user)
        assert 'href="/dieu-hanh/"' in client.get("/").content.decode()
