"""Residents' account pages (/account/): sign up with an SMS code, log in with phone + password,
reset a forgotten password, see and change their data, download it, delete the account."""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import redirect_to_login
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.privacy import mask_phone

from . import rules
from .account_forms import (
    DeleteAccountForm,
    PasswordResetWebForm,
    PhoneForm,
    ProfileForm,
    ResidentLoginForm,
    SignUpWebForm,
)
from .accounts import (
    AccountError,
    Throttled,
    delete_account,
    export_data,
    reset_password,
    resident_of,
    revoke_tokens,
    send_code,
    sign_up,
)
from .models import CodePurpose

LOGIN_URL = reverse_lazy("account:login")
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The number a code was sent to, between the two steps of sign-up and of password reset.
SESSION_PHONE = {
    CodePurpose.SIGNUP: "account_signup_phone",
    CodePurpose.PASSWORD: "account_reset_phone",
}


def resident_required(view):
    """Logged in (else to the residents' login page) with a resident account (else a page
    saying this is a staff account)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        resident = resident_of(request.user)
        if resident is None:
            return render(request, "training/account/not_resident.html", status=403)
        return view(request, resident, *args, **kwargs)

    return wrapper


# --- sign-up and password reset: number → code → the rest ----------------------------------


def _request_code(request, purpose, next_step, template):
    """Step one: the number; sends a code and moves on to `next_step`. A code sent moments ago
    is not sent again, but the resident still goes on (it is on its way)."""
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            send_code(phone, purpose)
        except Throttled as exc:
            messages.warning(request, exc.message)
        except AccountError as exc:
            form.add_error(exc.field, exc.message)
            return render(request, template, {"form": form})
        request.session[SESSION_PHONE[purpose]] = phone
        return redirect(next_step)
    return render(request, template, {"form": form})


def _code_sent_to(request, purpose, first_step):
    phone = request.session.get(SESSION_PHONE[purpose])
    return phone, (None if phone else redirect(first_step))


def _form_data(request, phone):
    data = request.POST.copy()
    data["phone"] = phone
    return data


def signup(request):
    if resident_of(request.user):
        return redirect("account:home")
    return _request_code(
        request, CodePurpose.SIGNUP, "account:signup_details", "training/account/signup.html"
    )


def signup_details(request):
    phone, back = _code_sent_to(request, CodePurpose.SIGNUP, "account:signup")
    if back:
        return back
    form = SignUpWebForm(_form_data(request, phone) if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("password2", "consent")}
        try:
            resident = sign_up(**data)
        except AccountError as exc:
            form.add_error(exc.field, exc.message)
        else:
            del request.session[SESSION_PHONE[CodePurpose.SIGNUP]]
            login(request, resident.user, backend=MODEL_BACKEND)
            messages.success(request, _("注册成功，欢迎您！"))
            return redirect("account:home")
    return render(
        request,
        "training/account/signup_details.html",
        {"form": form, "masked_phone": mask_phone(phone), "code_minutes": _code_minutes()},
    )


def forgot_password(request):
    return _request_code(
        request, CodePurpose.PASSWORD, "account:password_reset", "training/account/forgot.html"
    )


def password_reset(request):
    phone, back = _code_sent_to(request, CodePurpose.PASSWORD, "account:password_forgot")
    if back:
        return back
    form = PasswordResetWebForm(_form_data(request, phone) if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reset_password(
                phone=phone, code=form.cleaned_data["code"], password=form.cleaned_data["password"]
            )
        except AccountError as exc:
            form.add_error(exc.field, exc.message)
        else:
            del request.session[SESSION_PHONE[CodePurpose.PASSWORD]]
            messages.success(request, _("密码已重设，请用新密码登录。"))
            return redirect("account:login")
    return render(
        request,
        "training/account/password_reset.html",
        {"form": form, "masked_phone": mask_phone(phone), "code_minutes": _code_minutes()},
    )


def _code_minutes():
    return int(rules.CODE_LIFETIME.total_seconds() // 60)


# --- login ---------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = ResidentLoginForm
    template_name = "training/account/login.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("account:home")


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("account:login")


# --- the resident's own data ---------------------------------------------------------------


@resident_required
def home(request, resident):
    return render(request, "training/account/home.html", {"resident": resident})


@resident_required
def edit(request, resident):
    form = ProfileForm(request.POST or None, instance=resident)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:  # another account took the ID number meanwhile
            form.add_error("id_number", _("该身份证号已被其他账号使用。"))
        else:
            messages.success(request, _("资料已保存。"))
            return redirect("account:home")
    return render(request, "training/account/edit.html", {"form": form, "resident": resident})


@resident_required
def password_change(request, resident):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)  # keeps this session, ends the others
        revoke_tokens(form.user)  # and the app logins
        messages.success(request, _("密码已修改。"))
        return redirect("account:home")
    return render(request, "training/account/password_change.html", {"form": form})


@resident_required
def download(request, resident):
    body = json.dumps(export_data(resident), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-data-{day}.json"'
    return response


@resident_required
def delete(request, resident):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        delete_account(resident)
        logout(request)
        return redirect("account:deleted")
    return render(request, "training/account/delete.html", {"form": form, "resident": resident})


def deleted(request):
    return render(request, "training/account/deleted.html")


def privacy(request):
    return render(
        request,
        "training/account/privacy.html",
        {"token_days": rules.TOKEN_LIFETIME.days},
    )


@require_POST
def resend(request, purpose):
    """The "重新获取验证码" button of step two."""
    if purpose not in CodePurpose.values:
        raise Http404
    purpose = CodePurpose(purpose)
    phone = request.session.get(SESSION_PHONE[purpose])
    if phone:
        try:
            send_code(phone, purpose)
        except AccountError as exc:
            messages.warning(request, exc.message)
        else:
            messages.success(request, _("验证码已重新发送。"))
    step = "account:signup_details" if purpose == CodePurpose.SIGNUP else "account:password_reset"
    return redirect(reverse(step))
