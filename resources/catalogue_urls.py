from django.urls import path

from . import public_views

app_name = "catalogue"
urlpatterns = [
    path("", public_views.catalogue_index, name="index"),
    path("<slug:kind>/", public_views.catalogue_list, name="list"),
    path("<slug:kind>/<int:pk>/", public_views.catalogue_detail, name="detail"),
]
