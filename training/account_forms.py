"""Forms of resident accounts, shared by the web pages, the API and the admin's front desk.

They check the shape of the input (number formats, ID check digit, password rules, consent);
training.accounts checks what needs the database (codes, duplicates)."""

from datetime import date

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules
from .accounts import AccountError, authenticate_resident
from .models import CodePurpose, Resident
from .validators import (
    birth_date_of,
    normalise_id_number,
    normalise_mobile,
    validate_id_number,
    validate_mobile,
)

PHONE_ATTRS = {"inputmode": "tel", "autocomplete": "tel", "placeholder": "13812345678"}


class PhoneField(forms.CharField):
    """A mainland mobile number, typed as people do (spaces, dashes, +86), cleaned to 11 digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("手机号"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs=PHONE_ATTRS))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_mobile(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_mobile(value)


class IdNumberField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("身份证号"))
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            gettext_lazy("选填。报名要求实名的课程时需要；出生日期将由身份证号自动取得。"),
        )
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_id_number(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_id_number(value)


def real_name_field():
    return forms.CharField(
        label=gettext_lazy("姓名"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": gettext_lazy("请填写姓名。")},
    )


def birth_date_field():
    return forms.DateField(
        label=gettext_lazy("出生日期"),
        required=False,
        help_text=gettext_lazy("选填，如 1956-08-01。部分课程有年龄要求。"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def password_field(label=None, autocomplete="new-password"):
    return forms.CharField(
        label=label or gettext_lazy("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


def code_field():
    return forms.CharField(
        label=gettext_lazy("短信验证码"),
        max_length=rules.CODE_DIGITS,
        min_length=rules.CODE_DIGITS,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d*"}
        ),
        error_messages={
            "min_length": gettext_lazy("请输入%(limit_value)d位数字验证码。"),
            "max_length": gettext_lazy("请输入%(limit_value)d位数字验证码。"),
        },
    )


def check_birth_date(cleaned, id_field="id_number", date_field="birth_date", changed=True):
    """With an ID number the birth date is the one it carries; a different one typed in (when
    `changed`) is an error rather than silently overwritten."""
    id_number, typed = cleaned.get(id_field), cleaned.get(date_field)
    if id_number:
        carried = birth_date_of(id_number)
        if typed and changed and typed != carried:
            raise ValidationError({date_field: _("出生日期与身份证号不一致。")})
        cleaned[date_field] = carried
    elif typed and not date(1900, 1, 1) <= typed <= date.today():
        raise ValidationError({date_field: _("出生日期无效。")})
    return cleaned


def validate_new_password(password, phone):
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS), messages in Chinese."""
    password_validation.validate_password(password, get_user_model()(username=phone or ""))


class PasswordsMixin:
    """A new password typed twice: `password` and `password2`."""

    def clean_password2(self):
        first, second = self.cleaned_data.get("password"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise ValidationError(_("两次输入的密码不一致。"))
        return second


class PhoneForm(forms.Form):
    phone = PhoneField()


class CodeRequestForm(PhoneForm):
    purpose = forms.ChoiceField(label=gettext_lazy("用途"), choices=CodePurpose.choices)


class SignUpForm(forms.Form):
    """The API's sign-up (one password field); the web page adds the confirmation."""

    phone = PhoneField()
    code = code_field()
    real_name = real_name_field()
    password = password_field()
    consent = forms.BooleanField(
        label=gettext_lazy("我已阅读并同意《个人信息处理规则》"),
        error_messages={"required": gettext_lazy("请阅读并同意《个人信息处理规则》后再注册。")},
    )
    id_number = IdNumberField()
    birth_date = birth_date_field()

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            try:
                validate_new_password(password, cleaned.get("phone"))
            except ValidationError as exc:
                self.add_error("password", exc)
        return check_birth_date(cleaned)


class SignUpWebForm(PasswordsMixin, SignUpForm):
    password2 = password_field(gettext_lazy("再次输入密码"))
    field_order = [
        "phone", "code", "real_name", "password", "password2", "id_number", "birth_date", "consent"
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget = forms.HiddenInput()


class PasswordResetForm(forms.Form):
    phone = PhoneField()
    code = code_field()
    password = password_field(gettext_lazy("新密码"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            try:
                validate_new_password(cleaned["password"], cleaned.get("phone"))
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class PasswordResetWebForm(PasswordsMixin, PasswordResetForm):
    password2 = password_field(gettext_lazy("再次输入新密码"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget = forms.HiddenInput()


class ResidentLoginForm(AuthenticationForm):
    """Django's login form with the mobile number as login name, throttled per number
    (accounts.authenticate_resident)."""

    username = PhoneField(widget=forms.TextInput(attrs={**PHONE_ATTRS, "autofocus": True}))
    password = password_field(autocomplete="current-password")

    def clean(self):
        phone = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if phone and password:
            try:
                self.user_cache = authenticate_resident(self.request, phone, password)
            except AccountError as exc:
                raise ValidationError(exc.message, code="invalid_login") from exc
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ProfileForm(forms.ModelForm):
    """The resident's own name, birth date and ID number. The ID number is never filled in
    (that would show it in full): left empty it stays as it is."""

    id_number = IdNumberField(
        label=gettext_lazy("新的身份证号"),
        help_text=gettext_lazy("留空表示不修改。出生日期将由身份证号自动取得。"),
    )
    remove_id_number = forms.BooleanField(
        label=gettext_lazy("删除已填写的身份证号"), required=False
    )
    birth_date = birth_date_field()

    class Meta:
        model = Resident
        fields = ["real_name", "birth_date", "id_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["id_number"] = ""
        if not self.instance.id_number:
            del self.fields["remove_id_number"]

    def clean_id_number(self):
        return self.cleaned_data["id_number"] or self.instance.id_number

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove_id_number"):
            cleaned["id_number"] = ""
        return check_birth_date(cleaned, changed="birth_date" in self.changed_data)


class DeleteAccountForm(forms.Form):
    password = password_field(gettext_lazy("请输入密码确认"), autocomplete="current-password")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("密码不正确，账号未注销。"))
        return password


class FrontDeskForm(forms.Form):
    """Staff registering a resident in person (居民登记)."""

    venue = forms.ModelChoiceField(queryset=None, label=gettext_lazy("登记场馆"))
    phone = PhoneField()
    real_name = real_name_field()
    id_number = IdNumberField()
    birth_date = birth_date_field()
    consent = forms.BooleanField(
        label=gettext_lazy("居民已当面阅读（或听取）并同意《个人信息处理规则》"),
        error_messages={"required": gettext_lazy("须经居民本人同意个人信息处理规则后才能登记。")},
    )
    with_password = forms.BooleanField(
        label=gettext_lazy("生成初始密码"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "初始密码只显示一次，请交给居民本人。不生成时，居民可用“忘记密码”通过短信验证码设置密码。"
        ),
    )

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices, and so the validation of a crafted POST, are the user's venues only.
        self.fields["venue"].queryset = venues.order_by("code")
        if venues.count() == 1:
            self.fields["venue"].initial = venues.first()

    def clean(self):
        return check_birth_date(super().clean())


def error_messages(form):
    """{field: [messages]} and one readable sentence, for the API's answers."""
    errors = {
        field: [str(message) for message in messages] for field, messages in form.errors.items()
    }
    sentence = " ".join(message for messages in errors.values() for message in messages)
    return errors, sentence
