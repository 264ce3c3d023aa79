"""Resident accounts: verification codes, sign-up, front-desk registration, login, password
reset, API tokens, the resident's own data and its deletion (PIPL), and which residents a staff
user may see. Views and the API validate input with training.account_forms and call these.

Every function either does all it says or raises an AccountError (Chinese message, HTTP status)
and changes nothing, with one deliberate exception: a wrong verification code counts against the
code even though the request fails (check_code commits the count on its own).
"""

import math
import secrets
from contextlib import contextmanager

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import APIToken, ModelLogEntry

from network.models import Venue
from portal.encryption import keyed_hash
from portal.security import lockout
from resources.permissions import is_hub_admin, user_venue_ids

from . import my_data, rules
from .models import CodePurpose, Enrolment, EnrolmentStatus, Offering, PhoneCode, Resident
from .sms import SmsError, get_sender

# The Wagtail log action of a deleted account (registered in wagtail_hooks with its label).
RESIDENT_DELETED = "training.resident.delete"


class AccountError(Exception):
    """A refusal to show the user: `message` in Chinese, the form `field` it belongs to (None for
    the whole form) and the HTTP `status` the API answers with."""

    status = 400

    def __init__(self, message, field=None, retry_after=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.retry_after = retry_after


class CodeRejected(AccountError):
    def __init__(self, message):
        super().__init__(message, field="code")


class CodeAttemptsExhausted(CodeRejected):
    status = 429


class AlreadyRegistered(AccountError):
    status = 409


class Throttled(AccountError):
    status = 429


class LoginFailed(AccountError):
    status = 401


def anonymous_label(resident):
    """How logs name a resident: by id only, never by name or number."""
    return _("居民 #%(id)s") % {"id": resident.pk}


def resident_of(user):
    """The user's Resident, or None (anonymous users, staff without a resident account)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.resident
    except ObjectDoesNotExist:
        return None


# --- verification codes --------------------------------------------------------------------


def send_code(phone, purpose):
    """Send a new code to `phone` (normalised and valid) for `purpose`.

    A password-reset code for a number without an account is stored but not sent, so the answer
    (and the resend pause) never tells whether a number is registered.
    """
    now = timezone.now()
    last = PhoneCode.objects.filter(phone=phone, purpose=purpose).order_by("-sent_at").first()
    if last and now - last.sent_at < rules.CODE_RESEND_AFTER:
        wait = math.ceil((rules.CODE_RESEND_AFTER - (now - last.sent_at)).total_seconds())
        raise Throttled(
            _("验证码已发送，请 %(seconds)s 秒后再重新获取。") % {"seconds": wait},
            field="phone",
            retry_after=wait,
        )
    code = f"{secrets.randbelow(10**rules.CODE_DIGITS):0{rules.CODE_DIGITS}d}"
    deliver = purpose != CodePurpose.PASSWORD or Resident.objects.filter(phone=phone).exists()
    with transaction.atomic():
        # Only the newest code counts; the older ones of this number and purpose go.
        PhoneCode.objects.filter(phone=phone, purpose=purpose).delete()
        PhoneCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=make_password(code),
            expires_at=now + rules.CODE_LIFETIME,
        )
        if deliver:
            try:
                get_sender().send_code(phone, code, purpose)
            except SmsError as exc:
                raise AccountError(_("短信发送失败，请稍后再试。"), field="phone") from exc


def check_code(phone, purpose, code):
    """The unused code row `code` matches, or CodeRejected. A wrong code uses up one attempt;
    that count is committed here, so an outer transaction rolling back cannot undo it (callers
    must not wrap this in their own transaction)."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose, used_at__isnull=True)
            .order_by("-sent_at")
            .first()
        )
        if row is None or row.expires_at <= now:
            error = CodeRejected(_("验证码已过期或已使用，请重新获取。"))
        elif row.attempts >= rules.CODE_MAX_ATTEMPTS:
            error = CodeAttemptsExhausted(_("验证码错误次数过多，请重新获取验证码。"))
        elif not check_password(code, row.code_hash):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = rules.CODE_MAX_ATTEMPTS - row.attempts
            if left:
                error = CodeRejected(_("验证码不正确，还可以再试 %(left)s 次。") % {"left": left})
            else:
                error = CodeAttemptsExhausted(_("验证码错误次数过多，请重新获取验证码。"))
        else:
            return row
    raise error


def _use_code(row, now):
    """Mark a checked code used, inside the caller's transaction (undone if the caller fails)."""
    if not PhoneCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
        raise CodeRejected(_("验证码已过期或已使用，请重新获取。"))


# --- creating accounts ---------------------------------------------------------------------


def _refuse_duplicates(phone, id_number, resident=None):
    others = Resident.objects.exclude(pk=resident.pk) if resident else Resident.objects.all()
    if phone and (
        others.filter(phone=phone).exists()
        or (resident is None and get_user_model().objects.filter(username=phone).exists())
    ):
        raise AlreadyRegistered(
            _("该手机号已注册，请直接登录；忘记密码可用短信验证码重设。"), field="phone"
        )
    if id_number and others.filter(id_number_hash=keyed_hash(id_number)).exists():
        raise AlreadyRegistered(_("该身份证号已被其他账号使用。"), field="id_number")


def _create_resident(phone, password, **fields):
    """User + Resident, in the caller's transaction."""
    _refuse_duplicates(phone, fields.get("id_number"))
    user = get_user_model()(username=phone)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()  # set later through 忘记密码 (an SMS code)
    user.save()
    return Resident.objects.create(user=user, phone=phone, **fields)


@contextmanager
def _one_account(phone, id_number):
    """One transaction for a new account; a concurrent twin that slipped past the duplicate
    checks fails on the unique constraints and is reported like a duplicate."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        _refuse_duplicates(phone, id_number)  # names what the winner of the race took
        raise


def sign_up(*, phone, code, password, real_name, id_number="", birth_date=None):
    """Create a resident who proved the number with a SIGNUP code and consented online."""
    row = check_code(phone, CodePurpose.SIGNUP, code)
    now = timezone.now()
    with _one_account(phone, id_number):
        _use_code(row, now)
        return _create_resident(
            phone,
            password,
            real_name=real_name,
            id_number=id_number,
            birth_date=birth_date,
            phone_verified_at=now,
            consented_at=now,
        )


def generate_initial_password():
    """A random password that meets the password policy: one character of each class, the
    rest from all of them, in a random order."""
    alphabet = "".join(rules.INITIAL_PASSWORD_CLASSES)
    chars = [secrets.choice(chars) for chars in rules.INITIAL_PASSWORD_CLASSES]
    chars += [secrets.choice(alphabet) for _ in range(rules.INITIAL_PASSWORD_LENGTH - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def register_at_desk(
    *, staff, venue, phone, real_name, id_number="", birth_date=None, with_password=True
):
    """A resident registered by venue staff (no code: the number is not verified; consent was
    given at the desk). Returns (resident, initial password or None), the password in clear
    only here: it is shown once and stored hashed."""
    password = generate_initial_password() if with_password else None
    with _one_account(phone, id_number):
        resident = _create_resident(
            phone,
            password,
            real_name=real_name,
            id_number=id_number,
            birth_date=birth_date,
            consented_at=timezone.now(),
            registered_by=staff,
            registered_at_venue=venue,
        )
        log(resident, "wagtail.create", user=staff, title=anonymous_label(resident))
    return resident, password


# --- logging in, passwords, tokens ---------------------------------------------------------


def _locked_out(request):
    """The Chinese refusal once django-axes has locked the number (portal/security/lockout.py)."""
    lockout.mark_answered(request)
    return Throttled(
        _("登录失败次数过多，请 %(minutes)s 分钟后再试，或用“忘记密码”重设密码。")
        % {"minutes": lockout.cool_off_minutes()},
        retry_after=lockout.retry_after_seconds(),
    )


def authenticate_resident(request, phone, password):
    """The resident's user for phone + password, through Django's auth backends.

    Wrong number, wrong password and a non-resident account get the same answer. Failures are
    counted per number by django-axes (portal/security/rules.py); once locked out, the number
    is refused even with the right password until the cool-off has passed.
    """
    user = authenticate(request, username=phone, password=password)
    if user is not None and resident_of(user) is None:
        lockout.note_failure(request, phone)  # a staff password through the residents' door
        user = None
    if user is None:
        if lockout.is_locked_out(request):
            raise _locked_out(request)
        raise LoginFailed(_("手机号或密码不正确。"))
    lockout.clear_failures(phone)
    return user


def revoke_tokens(user):
    """End every app login of `user` (after a password change or reset)."""
    APIToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def reset_password(*, phone, code, password):
    """Set a new password with a PASSWORD code; ends app logins and lifts a login lockout."""
    row = check_code(phone, CodePurpose.PASSWORD, code)
    now = timezone.now()
    with transaction.atomic():
        _use_code(row, now)
        resident = Resident.objects.select_related("user").filter(phone=phone).first()
        if resident is None:  # a code stored for an unregistered number (see send_code)
            raise CodeRejected(_("验证码已过期或已使用，请重新获取。"))
        resident.user.set_password(password)
        resident.user.save(update_fields=["password"])
        if resident.phone_verified_at is None:  # the SMS code just proved the number
            resident.phone_verified_at = now
            resident.save(update_fields=["phone_verified_at"])
        revoke_tokens(resident.user)
    lockout.clear_failures(phone)
    return resident.user


def token_expires(token):
    return token.created + rules.TOKEN_LIFETIME


def issue_token(user):
    """A new bearer token (Wagtail's APIToken, stored hashed): (plaintext, expiry time)."""
    now = timezone.now()
    # Expired tokens can never be used again; drop them instead of keeping them forever.
    APIToken.objects.filter(user=user, created__lte=now - rules.TOKEN_LIFETIME).delete()
    token, plaintext = APIToken.create_token(user=user, name=_("居民App/小程序登录"))
    # Logging in is the token's first use: its first requests need not record one again
    # (later ones do, once per WAGTAILAPI_TOKEN_LAST_USED_INTERVAL).
    APIToken.objects.filter(pk=token.pk).update(last_used_at=token.created)
    return plaintext, token_expires(token)


# --- the resident's own data (PIPL) --------------------------------------------------------

export_data = my_data.export_data  # kept here with the other account services


def _cancel_enrolments(resident):
    """Free the resident's places through the enrolment services (which promote the waiting
    list) when they exist; otherwise just give the places back so the counters stay true."""
    try:
        from . import enrolment as enrolment_services
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.enrolment":
            raise
        enrolment_services = None
    cancel_all_for = getattr(enrolment_services, "cancel_all_for", None)
    if cancel_all_for is not None:
        cancel_all_for(resident)
        return
    taken = resident.enrolments.filter(status=EnrolmentStatus.ENROLLED)
    for offering_id in taken.values_list("offering_id", flat=True):
        Offering.objects.filter(pk=offering_id).update(enrolled=F("enrolled") - 1)


def delete_account(resident, *, by=None):
    """Delete the resident, their user, enrolments (with attendance), codes and tokens. Their
    ratings stay, anonymised: the link to the enrolment goes, the course, stars and comment
    remain so the evaluation keeps its figures. The audit trail keeps one entry naming the
    account by id only, and earlier entries about the resident lose their name. `by`: the staff user deleting it (None: the resident)."""
    with transaction.atomic():
        resident = Resident.objects.select_for_update().select_related("user").get(pk=resident.pk)
        _cancel_enrolments(resident)
        label = anonymous_label(resident)
        ModelLogEntry.objects.for_instance(resident).update(label=label)
        log(
            resident,
            RESIDENT_DELETED,
            user=by,
            title=label,
            data={
                "enrolments": resident.enrolments.count(),
                "by": "staff" if by else "self",
            },
        )
        PhoneCode.objects.filter(phone=resident.phone).delete()
        resident.user.delete()  # cascades to the resident, enrolments and API tokens


# --- who sees which residents --------------------------------------------------------------


def residents_visible_to(user):
    """Hub administrators: every resident. Venue staff: residents registered at one of their
    venues or enrolled (not cancelled) in a course or event of one of their venues."""
    if is_hub_admin(user):
        return Resident.objects.all()
    venue_ids = user_venue_ids(user)
    if not venue_ids:
        return Resident.objects.none()
    enrolled = Enrolment.objects.exclude(status=EnrolmentStatus.CANCELLED).filter(
        offering__venue__in=venue_ids  # the course's owner or the event's venue
    )
    return Resident.objects.filter(
        Q(registered_at_venue__in=venue_ids) | Q(pk__in=enrolled.values("resident"))
    )


def desk_venues_for(user):
    """Venues a user may register residents for: their own; hub administrators any."""
    if is_hub_admin(user):
        return Venue.objects.all()
    return Venue.objects.filter(pk__in=user_venue_ids(user))
