"""Sen's URLs plus ``/bench/bare``: the bare Django JSON view every figure is compared with."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from sen.urls import urlpatterns as sen_urlpatterns


def bare(request: HttpRequest) -> JsonResponse:
    """Answer a constant JSON object: Django's floor cost for one request."""
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare", bare), *sen_urlpatterns]
