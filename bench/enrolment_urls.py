"""The portal's URLs plus /bench/ping: the trivial JSON view behind the same bearer
authentication as the enrolment API, bench_enrolment.py's baseline."""

from django.urls import path
from ninja import NinjaAPI

from portal.urls import urlpatterns as portal_urlpatterns
from training.auth import resident_auth

ping_api = NinjaAPI(urls_namespace="bench", docs_url=None, openapi_url=None)


@ping_api.get("/ping", auth=resident_auth)
def ping(request):
    return {"user": request.user.pk}


urlpatterns = [path("bench/", ping_api.urls), *portal_urlpatterns]
