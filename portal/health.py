"""/healthz: the load balancer's liveness probe, and the load benchmark's trivial baseline view.

Touches neither the database nor the cache: it says the process answers, nothing more."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
