app_name = "training"
urlpatterns = []  # filled by the enrolment work
