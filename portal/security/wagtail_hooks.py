from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks

from . import urls


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [path("2fa/", include(urls, namespace="security_2fa"))]


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    return {
        "url": reverse("security_2fa:setup"),
        "label": gettext_lazy("两步验证"),
        "help_text": gettext_lazy("用手机验证器App为后台登录加一道验证码。"),
    }
