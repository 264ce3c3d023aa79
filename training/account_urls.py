app_name = "account"
urlpatterns = []  # filled by the accounts work
