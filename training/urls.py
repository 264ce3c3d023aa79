from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.menu, name="menu"),
    path("me/", views.my_courses, name="me"),
    path("<int:pk>/", views.course_page, name="course"),
    path("<int:pk>/enrol/", views.enrol_course, name="enrol"),
    path("<int:pk>/cancel/", views.cancel_course, name="cancel"),
    path("enrolments/<int:pk>/rate/", views.rate, name="rate"),
    path("events/<int:pk>/enrol/", views.enrol_event, name="event_enrol"),
    path("events/<int:pk>/cancel/", views.cancel_event, name="event_cancel"),
]
