"""The app config that stands in for "wagtail.users" in INSTALLED_APPS (a module of its own: a
second AppConfig in training/apps.py would stop Django picking TrainingConfig by itself)."""

from wagtail.users.apps import WagtailUsersAppConfig


class StaffUsersConfig(WagtailUsersAppConfig):
    """wagtail.users with its 用户 admin limited to staff accounts (training/admin_users.py)."""

    user_viewset = "training.admin_users.UserViewSet"
