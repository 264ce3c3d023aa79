from django.urls import path

from . import views

app_name = "volunteers"
urlpatterns = [
    path("", views.showcase, name="showcase"),
    path("rankings/", views.rankings, name="rankings"),
    path("activities/", views.activities, name="activities"),
    path("activities/<int:pk>/", views.activity, name="activity"),
    path("shifts/<int:pk>/sign-up/", views.sign_up, name="sign_up"),
    path("signups/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("signups/<int:pk>/report/", views.report, name="report"),
    path("apply/", views.apply, name="apply"),
    path("me/", views.me, name="me"),
    path("me/certificate.pdf", views.certificate, name="certificate"),
]
