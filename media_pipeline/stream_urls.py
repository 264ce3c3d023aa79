"""/stream/: processed media (included from portal/urls.py)."""

from django.urls import path

from . import streaming

app_name = "media_stream"

urlpatterns = [
    path("<int:pk>/<str:run>/<path:relative>", streaming.rendition_file, name="file"),
]
