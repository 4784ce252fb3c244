"""The audit log records security events and cannot be rewritten by the application."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_a_denial_is_logged(client, ward_officer):
    client.force_login(ward_officer)
    response = client.get("/quan-tri/")
    assert response.status_code in (302, 403)
    client.get(reverse("two_factor_disable"))  # GET on a POST-only view: 405, not a denial
    from django.core.exceptions import PermissionDenied as Denied
    from django.test import RequestFactory

    from portal.views import permission_denied

    request = RequestFactory().get("/bi-mat/")
    request.user = ward_officer
    permission_denied(request, Denied())
    assert AuditEvent.objects.filter(event=AuditEventType.ACCESS_DENIED, actor=ward_officer, path="/bi-mat/").exists()


def test_the_application_cannot_change_or_delete_an_event(ward_officer):
    event = audit_record(AuditEventType.LOGIN, actor=ward_officer)
    event.username = "someone-else"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(username="x")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).username == ward_officer.username


def test_the_database_refuses_a_rewrite_by_raw_sql(ward_officer):
    event = audit_record(AuditEventType.LOGIN, actor=ward_officer)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET username = 'x' WHERE id = %s", [event.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, username=ward_officer.username).exists()
