"""/api/v1/auth/…, /api/v1/me: resident accounts for apps and the WeChat mini-program.

Tokens are Wagtail's own APIToken (stored as a keyed hash, revocable, last use recorded), valid
for rules.TOKEN_LIFETIME; send them as `Authorization: Bearer <token>`. Input goes through the
same forms as the web pages (training.account_forms), so both give the same Chinese messages.
"""

from datetime import date, datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from . import rules
from .account_forms import CodeRequestForm, PasswordResetForm, PhoneForm, SignUpForm, error_messages
from .accounts import (
    AccountError,
    authenticate_resident,
    delete_account,
    issue_token,
    reset_password,
    send_code,
    sign_up,
)
from .auth import bearer_auth, require_resident, resident_auth

router = Router(tags=["账号"])


class ErrorOut(Schema):
    detail: str


class FormErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="各字段的错误信息")


class CredentialsIn(Schema):
    phone: str = Field(description="手机号（登录名）", examples=["13812345678"])
    password: str


class TokenOut(Schema):
    token: str = Field(description="放在请求头 Authorization: Bearer <token> 中")
    expires: datetime = Field(description="过期时间，过期后请重新登录")


class CodeIn(Schema):
    phone: str
    purpose: str = Field(description="signup（注册）或 password（重设密码）")


class CodeOut(Schema):
    detail: str
    expires_in: int = Field(description="验证码有效期（秒）")
    resend_after: int = Field(description="多少秒后可以重新获取")


class SignUpIn(Schema):
    phone: str
    code: str = Field(description="短信验证码")
    password: str
    real_name: str
    consent: bool = Field(description="同意《个人信息处理规则》，必须为 true")
    id_number: str = Field("", description="身份证号（选填）")
    birth_date: date | None = Field(None, description="出生日期（选填；填写身份证号时自动取得）")


class PasswordResetIn(Schema):
    phone: str
    code: str
    password: str = Field(description="新密码")


class PasswordIn(Schema):
    password: str = Field(description="当前密码，用于确认")


class MeOut(Schema):
    phone: str = Field(description="手机号（打码）")
    real_name: str
    id_number: str = Field(description="身份证号（打码；未填写为空）")
    birth_date: date | None
    phone_verified: bool = Field(description="手机号是否经短信验证")
    consented_at: datetime = Field(description="同意个人信息处理规则的时间")
    created_at: datetime


def _refused(exc, response):
    """An AccountError as (status, body); a 429 also tells the client when to retry."""
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return Status(exc.status, {"detail": exc.message})


def _invalid(form):
    errors, sentence = error_messages(form)
    return Status(422, {"detail": sentence, "errors": errors})


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: ErrorOut, 422: FormErrorOut, 429: ErrorOut},
    summary="登录，取得令牌",
)
def create_token(request, response: HttpResponse, credentials: CredentialsIn):
    form = PhoneForm({"phone": credentials.phone})
    if not form.is_valid():
        # A malformed number cannot belong to anyone: answer like any failed login.
        return Status(401, {"detail": _("手机号或密码不正确。")})
    try:
        user = authenticate_resident(request, form.cleaned_data["phone"], credentials.password)
    except AccountError as exc:
        return _refused(exc, response)
    token, expires = issue_token(user)
    return Status(200, {"token": token, "expires": expires})


@router.delete(
    "/auth/token", auth=bearer_auth, response={204: None, 401: ErrorOut}, summary="退出登录"
)
def revoke_token(request):
    request.auth.revoke()
    return Status(204, None)


@router.post(
    "/auth/codes",
    response={200: CodeOut, 422: FormErrorOut, 429: ErrorOut, 400: ErrorOut},
    summary="发送短信验证码",
)
def create_code(request, response: HttpResponse, payload: CodeIn):
    form = CodeRequestForm(payload.model_dump())
    if not form.is_valid():
        return _invalid(form)
    try:
        send_code(form.cleaned_data["phone"], form.cleaned_data["purpose"])
    except AccountError as exc:
        return _refused(exc, response)
    minutes = int(rules.CODE_LIFETIME.total_seconds() // 60)
    return Status(
        200,
        {
            "detail": _("验证码已发送，%(minutes)s 分钟内有效。") % {"minutes": minutes},
            "expires_in": int(rules.CODE_LIFETIME.total_seconds()),
            "resend_after": int(rules.CODE_RESEND_AFTER.total_seconds()),
        },
    )


@router.post(
    "/auth/signup",
    response={201: MeOut, 400: ErrorOut, 409: ErrorOut, 422: FormErrorOut, 429: ErrorOut},
    summary="注册居民账号",
)
def create_account(request, response: HttpResponse, payload: SignUpIn):
    form = SignUpForm(payload.model_dump())
    if not form.is_valid():
        return _invalid(form)
    data = dict(form.cleaned_data)
    data.pop("consent")
    try:
        resident = sign_up(**data)
    except AccountError as exc:
        return _refused(exc, response)
    return Status(201, _me(resident))


@router.post(
    "/auth/password",
    response={204: None, 400: ErrorOut, 422: FormErrorOut, 429: ErrorOut},
    summary="用短信验证码重设密码",
)
def set_password(request, response: HttpResponse, payload: PasswordResetIn):
    form = PasswordResetForm(payload.model_dump())
    if not form.is_valid():
        return _invalid(form)
    try:
        reset_password(**form.cleaned_data)
    except AccountError as exc:
        return _refused(exc, response)
    return Status(204, None)


def _me(resident):
    return {
        "phone": resident.masked_phone,
        "real_name": resident.real_name,
        "id_number": resident.masked_id_number,
        "birth_date": resident.birth_date,
        "phone_verified": resident.phone_verified_at is not None,
        "consented_at": resident.consented_at,
        "created_at": resident.created_at,
    }


@router.get(
    "/me",
    auth=resident_auth,
    response={200: MeOut, 401: ErrorOut, 403: ErrorOut},
    summary="我的资料",
)
def me(request):
    return Status(200, _me(require_resident(request)))


@router.delete(
    "/me",
    auth=resident_auth,
    response={204: None, 401: ErrorOut, 403: ErrorOut},
    summary="注销账号（删除我的全部个人信息）",
)
def delete_me(request, payload: PasswordIn):
    resident = require_resident(request)
    if not request.user.check_password(payload.password):
        return Status(403, {"detail": _("密码不正确，账号未注销。")})
    delete_account(resident)
    return Status(204, None)
