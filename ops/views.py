from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .health import health


@login_not_required
@never_cache
def healthz(request):
    """For load balancers and monitors: 200 when the database and the broker answer,
    503 otherwise. Says nothing about the data."""
    result = health()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503)
