"""A leader goes through the dashboards in Chromium: each page, the filters, a
drill-down from a headline figure to a task, the figures checked against the data, the
charts drawn with Vietnamese numbers — under a Content Security Policy that forbids
inline scripts. Screenshots (desktop and a 390 px phone) go to test-artifacts/."""

import pytest

from resolutions.classification import TaskClass
from resolutions.models import Task
from tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Scripts only from our own files: no inline code, no eval, no CDN. (Styles are not
# restricted here: the shared layout's htmx injects one <style> element.)
STRICT_CSP = "script-src 'self'; object-src 'none'; base-uri 'none'"
PAGES = ["/dieu-hanh/", "/dieu-hanh/chi-tieu/", "/dieu-hanh/du-an/", "/dieu-hanh/nhiem-vu/", "/dieu-hanh/don-vi/"]


def with_strict_csp(page):
    """Serve every page with a CSP that blocks inline scripts; collect what the browser refuses."""
    problems = []

    def add_policy(route):
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": STRICT_CSP}
        route.fulfill(response=response, headers=headers)

    page.route(lambda url: "/static/" not in url, add_policy)
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def charts_drawn(page) -> int:
    return page.evaluate("() => [...document.querySelectorAll('canvas[data-chart]')].filter(c => Chart.getChart(c)).length")


def figure(page, name) -> str:
    return page.locator(f"[data-figure={name}]").inner_text().strip()


def cell(page, row_selector, column) -> str:
    return " ".join(page.locator(f"{row_selector} [data-col={column}]").inner_text().split())


def test_a_leader_reads_the_dashboards_filters_and_drills_down(browser_page, city, leader):
    page = browser_page
    problems = with_strict_csp(page)
    sign_in(page, leader.username)
    page.get_by_role("link", name="Bảng điều hành").first.click()
    page.wait_for_load_state("networkidle")

    # Overview: the headline figures are those of the data (Q3/2025, the latest quarter reported).
    period = city.periods[(2025, 3)]
    classes = [task.classify(period.end_date) for task in Task.objects.with_lead_status(period)]
    assert "lũy kế đến Quý III/2025" in page.locator(".dash-context").inner_text()
    assert figure(page, "tasks-overdue") == f"{classes.count(TaskClass.OVERDUE)} quá hạn, chưa hoàn thành"
    assert figure(page, "tasks-on-time") == str(classes.count(TaskClass.DONE_ON_TIME))
    assert figure(page, "units-reported") == "2/3"
    assert figure(page, "projects-late") == "1 chậm tiến độ hoặc tạm dừng"
    assert charts_drawn(page) == 1
    screenshot(page, "dashboards-overview-desktop")

    # Drill down: the overdue figure → the overdue tasks → the task.
    page.locator("[data-figure=tasks-overdue]").click()
    page.wait_for_load_state("networkidle")
    assert "phan_loai=overdue" in page.url
    assert page.locator("#task-table tbody tr").count() == 1
    row = page.locator("#task-table tr[data-task='NV-01']")
    assert "Quá hạn, chưa hoàn thành" in row.inner_text() and "tạm tính" in row.inner_text()
    assert charts_drawn(page) == 1
    screenshot(page, "dashboards-tasks-overdue-desktop")
    row.get_by_role("link", name="NV-01").click()
    page.wait_for_load_state("networkidle")
    assert "Nhiệm vụ NV-01" in page.locator("h1").inner_text()
    assert "Quá hạn, chưa hoàn thành" in page.locator("[data-figure=class]").inner_text()
    assert "Đang chỉnh trang" in page.locator("#task-history").inner_text()

    # Indicators, filtered in the form to Quý III/2024: the report columns of that time.
    page.get_by_role("link", name="Chỉ tiêu", exact=True).click()
    page.wait_for_load_state("networkidle")
    page.select_option("#id_nam", "2024")
    page.select_option("#id_quy", "3")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_load_state("networkidle")
    assert "nam=2024" in page.url and "quy=3" in page.url
    households = "tr[data-indicator='ho-kinh-doanh-test']"
    assert cell(page, households, "actual") == "4.150 chính thức"
    assert cell(page, households, "plan") == "4.300"
    assert cell(page, households, "percent-of-plan") == "đạt 96,5%"  # 4.150 ÷ 4.300
    poverty = "tr[data-indicator='ty-le-ho-ngheo-test']"
    assert cell(page, poverty, "actual") == "2,9% chính thức"
    screenshot(page, "dashboards-indicators-2024-q3-desktop")

    # Its page: the chart has target lines, Vietnamese ticks and tooltips, the filters kept.
    page.locator(households).get_by_role("link", name="Số hộ kinh doanh đang hoạt động").click()
    page.wait_for_load_state("networkidle")
    assert "nam=2024" in page.url
    assert charts_drawn(page) == 1
    ticks = page.evaluate("() => Chart.getChart(document.querySelector('canvas[data-chart]')).scales.y.ticks.map(t => t.label)")
    assert any("." in label for label in ticks), ticks  # 4.000, 4.500…
    tooltip = page.evaluate(
        """() => {
          const chart = Chart.getChart(document.querySelector('canvas[data-chart]'));
          const i = chart.data.labels.indexOf('2024');
          return chart.options.plugins.tooltip.callbacks.label({raw: chart.data.datasets[0].data[i], datasetIndex: 0, dataIndex: i, dataset: chart.data.datasets[0]});
        }"""
    )
    assert tooltip.strip() == "Thực hiện: 4.150 hộ (lũy kế đến Quý III/2024)"
    targets = page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas[data-chart]')).data.datasets[2].data.filter(v => v !== null)"
    )
    assert targets == [4500, 5500]
    screenshot(page, "dashboards-indicator-detail-desktop")

    # Projects: the late key project, then its quarterly history.
    page.goto(page.base + "/dieu-hanh/du-an/")
    lake = "tr[data-project='duong-nam-cat-test']"
    assert cell(page, lake, "progress") == "40% kế hoạch 91,6%"
    assert "Chậm tiến độ" in page.locator(lake).inner_text()
    assert charts_drawn(page) == 1
    screenshot(page, "dashboards-projects-desktop")
    page.locator(lake).get_by_role("link", name="Đường vào hồ Nặm Cắt").click()
    page.wait_for_load_state("networkidle")
    assert "Quý III/2025" in page.locator("#project-history").inner_text()
    assert charts_drawn(page) == 1

    # Units: who has reported, and a unit's own page.
    page.goto(page.base + "/dieu-hanh/don-vi/")
    other = page.locator(f"tr[data-unit='{city.other_ward.code}']")
    assert "chưa gửi, quá hạn" in other.locator("td[data-period='2025-3']").inner_text()
    assert "muộn" in other.locator("td[data-period='2025-2']").inner_text()
    screenshot(page, "dashboards-units-desktop")
    other.get_by_role("link", name=city.other_ward.name).click()
    page.wait_for_load_state("networkidle")
    assert city.other_ward.name in page.locator("h1").inner_text()

    # A 390 px phone: every page fits its width (wide tables scroll inside their card).
    page.set_viewport_size({"width": 390, "height": 844})
    for url in PAGES + ["/dieu-hanh/chi-tieu/ty-le-ho-ngheo-test/"]:
        page.goto(page.base + url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, url
        name = url.strip("/").replace("/", "-") or "home"
        screenshot(page, f"dashboards-{name}-phone")

    assert problems == []
