from django.urls import path

from . import account_views as views

app_name = "account"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("signup/details/", views.signup_details, name="signup_details"),
    path("password/forgot/", views.forgot_password, name="password_forgot"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/change/", views.password_change, name="password_change"),
    path("code/<str:purpose>/resend/", views.resend, name="resend_code"),
    path("edit/", views.edit, name="edit"),
    path("my-data.json", views.download, name="download"),
    path("delete/", views.delete, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
    path("privacy/", views.privacy, name="privacy"),
]
