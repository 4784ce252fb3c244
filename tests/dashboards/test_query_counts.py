"""Every dashboard page runs the same number of queries whatever the data size: measured
on the small city, then again after adding more units, tasks, projects, indicators,
figures and reports."""

import pytest
from django.urls import reverse

from tests.dashboards.conftest import grow

pytestmark = pytest.mark.django_db

# page → queries, for a leader: 2 of them are the session and the user, 3 renew the
# session's expiry (savepoint, update, release: the idle time-out)
LEADER_PAGES = {
    "overview": 17,
    "indicators": 11,
    "projects": 10,
    "tasks": 10,
    "units": 12,
}


def detail_urls(city):
    # session, user, then the filters' periods, fields and units: five before the page's
    # own, and three after it to renew the session's expiry
    return {
        "indicator_detail": (reverse("dashboards:indicator_detail", args=["ho-kinh-doanh-test"]), 12),
        "project_detail": (reverse("dashboards:project_detail", args=["duong-nam-cat-test"]), 11),
        "task_detail": (reverse("dashboards:task_detail", args=[city.tasks["on_time"].pk]), 13),
        "unit_detail": (reverse("dashboards:unit_detail", args=[city.ward.code]), 18),
    }


def test_list_pages_run_a_fixed_number_of_queries(client, leader, city, django_assert_num_queries):
    client.force_login(leader)
    urls = {name: reverse(f"dashboards:{name}") for name in LEADER_PAGES}
    urls_filtered = {name: url + f"?nam=2025&quy=2&linh_vuc={city.fields['trade'].code}" for name, url in urls.items()}
    for size in ("small", "grown"):
        if size == "grown":
            grow(city, 4)
        for name, expected in LEADER_PAGES.items():
            with django_assert_num_queries(expected):
                client.get(urls[name])
            with django_assert_num_queries(expected):
                client.get(urls_filtered[name])


def test_detail_pages_run_a_fixed_number_of_queries(client, leader, city, django_assert_num_queries):
    client.force_login(leader)
    for size in ("small", "grown"):
        if size == "grown":
            grow(city, 4)
        for url, expected in detail_urls(city).values():
            with django_assert_num_queries(expected):
                client.get(url)


def test_an_officers_pages_run_a_fixed_number_of_queries_too(client, ward_officer, city, django_assert_num_queries):
    client.force_login(ward_officer)
    # an officer's unit is read with the user (base.html shows it), and there is no
    # list of units to filter by: one query less than a leader's page
    for size in ("small", "grown"):
        if size == "grown":
            grow(city, 4)
        for name, leaders in LEADER_PAGES.items():
            expected = leaders - 1
            with django_assert_num_queries(expected):
                client.get(reverse(f"dashboards:{name}"))
