import sys
from itertools import groupby

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_safe
from django.views.i18n import set_language as django_set_language

from indicators.models import Indicator, IndicatorValue
from periods.models import ReportingPeriod
from projects.models import Project
from resolutions.models import ActionProgramme, Resolution, Task


@require_safe
def home(request):
    """Proof that the catalogue is there: the resolution, the programme's tasks by
    field, the projects and the indicators with their latest figures (an officer sees
    other units' figures only once approved)."""
    resolution = Resolution.objects.prefetch_related("goals").first()
    programme = ActionProgramme.objects.select_related("resolution").first()
    tasks = Task.objects.with_catalogue().order_by("field__sort_order", "field__name", "sort_order", "code")
    tasks_by_field = [(field, list(items)) for field, items in groupby(tasks, key=lambda task: task.field)]
    projects = Project.objects.with_catalogue()
    indicators = list(Indicator.objects.with_catalogue())
    latest = IndicatorValue.objects.visible_to(request.user).latest_by_indicator()
    indicator_rows = [(indicator, latest.get(indicator.pk)) for indicator in indicators]
    return render(
        request,
        "portal/home.html",
        {
            "resolution": resolution,
            "programme": programme,
            "tasks_by_field": tasks_by_field,
            "task_count": len(tasks),
            "projects": projects,
            "indicator_rows": indicator_rows,
            "current_period": ReportingPeriod.objects.current(),
        },
    )


# Visitors choose the language on the sign-in page, before they have an account session.
set_language = login_not_required(django_set_language)


def permission_denied(request, exception=None):
    """403, in Vietnamese, and every denial goes to the audit log."""
    from audit.models import AuditEventType
    from audit.services import audit_record

    audit_record(AuditEventType.ACCESS_DENIED, request=request, target=request.path)
    return render(request, "403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request):
    from ops.unavailable import database_unavailable_response

    # The database being briefly unavailable is no bug: say so, and to try again (503).
    unavailable = database_unavailable_response(request, sys.exc_info()[1])
    if unavailable is not None:
        return unavailable
    # No context processors: the failure may lie in one of them.
    return HttpResponseServerError(loader.get_template("500.html").render())
