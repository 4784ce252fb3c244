"""No lost updates through the portal's own path: fifty officers who loaded the same
row save it at once through the row view; one save wins, forty-nine are refused with the
current value, and the history holds exactly one change (PostgreSQL only)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from accounts.models import Role
from indicators.models import IndicatorValue
from tests import factories

from .conftest import unit_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


def test_fifty_stale_row_posts_at_once_write_one_and_refuse_the_rest(ward, period):
    indicator = factories.make_indicator(responsible_unit=ward)
    factories.make_indicator_value(indicator=indicator, period=period, value="0")  # version 1, loaded by everyone
    writers = 50
    officers = [factories.make_user(role=Role.OFFICER, unit=ward) for _ in range(writers)]
    url = unit_url("row_save", ward, period, "chi-tieu", indicator.pk)
    clients = []
    for officer in officers:
        client = Client()
        client.force_login(officer)
        clients.append(client)
    start = threading.Barrier(writers)
    outcomes = []

    def save(n, client):
        from django.db import connection as thread_connection

        try:
            start.wait(timeout=30)
            prefix = f"chi-tieu-{indicator.pk}"
            data = {f"{prefix}-value": str(n), f"{prefix}-kind": "estimate", f"{prefix}-version": "1"}
            page = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
            outcomes.append("refused" if "giá trị hiện tại" in page else "saved" if "Đã lưu" in page else page)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=save, args=(n, client)) for n, client in enumerate(clients, start=1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * (writers - 1) + ["saved"]
    figure = IndicatorValue.objects.get(indicator=indicator)
    assert figure.version == 2 and figure.value != Decimal(0)
    assert figure.changes.filter(field="value").count() == 2  # the first entry and the one winning save
