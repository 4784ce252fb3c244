from itertools import groupby

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.i18n import set_language as django_set_language

from indicators.models import Indicator, IndicatorValue
from periods.models import ReportingPeriod
from projects.models import Project
from resolutions.models import ActionProgramme, Resolution, Task


def home(request):
    """Proof that the catalogue is there: the resolution, the programme's tasks by
    field, the projects and the indicators with their latest figures."""
    resolution = Resolution.objects.prefetch_related("goals").first()
    programme = ActionProgramme.objects.select_related("resolution").first()
    tasks = Task.objects.with_catalogue().order_by("field__sort_order", "field__name", "sort_order", "code")
    tasks_by_field = [(field, list(items)) for field, items in groupby(tasks, key=lambda task: task.field)]
    projects = Project.objects.with_catalogue()
    indicators = list(Indicator.objects.with_catalogue())
    latest = IndicatorValue.objects.latest_by_indicator()
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
