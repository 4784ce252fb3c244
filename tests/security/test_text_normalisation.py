"""Stored text is normalised whatever path writes it: NFC, no control characters."""

import unicodedata

import pytest

from backancity.text import normalise_text
from tests import factories


def test_decomposed_vietnamese_is_stored_composed():
    decomposed = unicodedata.normalize("NFD", "Phường Sông Cầu — Nguyễn Thị Minh Khai")
    assert decomposed != "Phường Sông Cầu — Nguyễn Thị Minh Khai"
    assert normalise_text(decomposed) == "Phường Sông Cầu — Nguyễn Thị Minh Khai"


def test_nul_and_control_characters_are_removed_but_lines_kept():
    assert normalise_text("a\x00b\x07c\r\nd\te") == "abc\nd\te"


@pytest.mark.django_db
def test_a_model_save_stores_normalised_text(ward, period):
    task = factories.make_task(lead_unit=ward, content=unicodedata.normalize("NFD", "Thí điểm chuyển đổi số\x00"))
    task.refresh_from_db()
    assert task.content == "Thí điểm chuyển đổi số"
    update = factories.make_task_update(task=task, period=period, narrative=unicodedata.normalize("NFD", "Đã triển khai\r\n"))
    update.refresh_from_db()
    assert update.narrative == "Đã triển khai\n"
