"""The command line renders with the same code as the job, and the benchmark leaves the
database as it found it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from resolutions.models import Task
from units.models import OrganisationUnit

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_render_annual_review_writes_the_2023_pdf(article_data, tmp_path):
    output = tmp_path / "review-2023.pdf"
    out = StringIO()
    call_command(
        "render_annual_review", "--year", "2023", "--output", str(output), "--date", "20/12/2023", "--number", "45", stdout=out
    )
    assert output.read_bytes().startswith(b"%PDF-")
    printed = out.getvalue()
    assert f"Đã ghi {output}" in printed and "SHA-256 tệp:" in printed
    text = pdf_text(output)
    assert "Số 45-BC/TU" in text and "Bắc Kạn, ngày 20 tháng 12 năm 2023" in text and "58,37%" in text
    assert [p.name for p in tmp_path.iterdir()] == ["review-2023.pdf"]


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--year", "2023", "--date", "2023-12-20"], "Ngày “2023-12-20” không hợp lệ"),
        (["--year", "2019"], "Năm phải từ 2023"),
    ],
)
def test_render_annual_review_refuses_bad_input_in_vietnamese(tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("render_annual_review", *arguments, "--output", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_the_benchmark_prints_its_figures_and_rolls_back_the_synthetic_year(article_data):
    tasks, units = Task.objects.count(), OrganisationUnit.objects.count()
    out = StringIO()
    call_command(
        "benchmark_annual_review",
        *("--repeat", "1", "--units", "3", "--tasks", "6", "--projects", "4", "--indicators", "4"),
        stdout=out,
    )
    printed = out.getvalue()
    assert "Năm 2023 (dữ liệu thật)" in printed and "Năm 2015 (giả lập quy mô thành phố)" in printed
    assert printed.count("phần của WeasyPrint") == 2 and "Đã hủy dữ liệu giả lập" in printed
    assert (Task.objects.count(), OrganisationUnit.objects.count()) == (tasks, units)
