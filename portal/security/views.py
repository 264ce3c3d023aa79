"""The admin's two-factor pages: set up an authenticator app, confirm a code after login,
turn it off (when not required). See two_factor.py for when they are shown."""

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import rules
from .two_factor import confirmed_device, two_factor_required


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6位验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
        error_messages={
            "required": gettext_lazy("请输入验证器App上显示的6位验证码。"),
            "min_length": gettext_lazy("验证码为6位数字。"),
        },
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        allowed, _reason = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(_("验证码错误次数过多，请稍等片刻再试。"))
        # django_otp.verify_token locks the device row: a code is taken once, even by two
        # requests at the same moment. A failure counts towards throttling, whatever was typed.
        if verify_token(self.device.user, self.device.persistent_id, code) is None:
            raise forms.ValidationError(_("验证码不正确或已过期，请输入App上当前显示的验证码。"))
        return code


class TwoFactorFormView(WagtailAdminTemplateMixin, FormView):
    form_class = CodeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "device": self.device}

    def get_success_url(self):
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(
            target, {self.request.get_host()}, self.request.is_secure()
        ):
            return target
        return reverse("wagtailadmin_home")

    def get_context_data(self, **kwargs):
        next_url = self.request.POST.get("next") or self.request.GET.get("next", "")
        return super().get_context_data(next=next_url, **kwargs)

    def form_valid(self, form):
        otp_login(self.request, self.device)
        return redirect(self.get_success_url())


class SetupView(TwoFactorFormView):
    """Shows a new secret as a QR code and turns it on once the app's first code matches."""

    template_name = "security/two_factor_setup.html"
    page_title = gettext_lazy("两步验证")

    def dispatch(self, request, *args, **kwargs):
        self.enabled = self.device = confirmed_device(request.user)
        if self.enabled is None:
            self.device = TOTPDevice.objects.filter(
                user=request.user, confirmed=False
            ).first() or TOTPDevice.objects.create(
                user=request.user,
                name=_("身份验证器App"),
                confirmed=False,
                tolerance=rules.TOTP_TOLERANCE_STEPS,
            )
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.enabled is not None:
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            enabled=self.enabled, required=two_factor_required(self.request.user), **kwargs
        )
        if self.enabled is None:
            context["qr_svg"] = segno.make(self.device.config_url, error="m").svg_inline(
                scale=5, title=_("用验证器App扫描此二维码")
            )
            secret = b32encode(self.device.bin_key).decode()
            context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        return context

    def form_valid(self, form):
        self.device.confirmed = True
        self.device.save(update_fields=["confirmed"])
        messages.success(self.request, _("两步验证已开启，以后每次登录后台都需要输入验证码。"))
        return super().form_valid(form)


class VerifyView(TwoFactorFormView):
    """The code after a password login."""

    template_name = "security/two_factor_verify.html"
    page_title = gettext_lazy("两步验证")

    def dispatch(self, request, *args, **kwargs):
        self.device = confirmed_device(request.user)
        if self.device is None:
            return redirect("security_2fa:setup")
        if request.user.is_verified():
            return redirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)


class DisableView(TwoFactorFormView):
    """Turning it off takes a current code; hub administrators cannot when it is required."""

    template_name = "security/two_factor_disable.html"
    page_title = gettext_lazy("关闭两步验证")

    def dispatch(self, request, *args, **kwargs):
        if two_factor_required(request.user):
            raise PermissionDenied(_("中心馆管理员必须使用两步验证，不能关闭。"))
        self.device = confirmed_device(request.user)
        if self.device is None:
            return redirect("security_2fa:setup")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        TOTPDevice.objects.filter(user=self.request.user).delete()
        messages.success(self.request, _("两步验证已关闭。"))
        return redirect("security_2fa:setup")
