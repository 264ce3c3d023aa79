from django.urls import path

from . import serving

app_name = "resources"

urlpatterns = [
    path("catalogue/assets/<int:pk>/file/", serving.asset_file, name="asset_file"),
]
