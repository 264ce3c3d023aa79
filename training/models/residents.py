"""Resident accounts: a Django user whose login name is the mobile number, with what the
training plan needs to know about them and nothing more (PIPL: minimal, visible, deletable)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.encryption import EncryptedCharField, KeyedHashField
from portal.privacy import mask_id_number, mask_phone

from ..validators import validate_id_number, validate_mobile


class Resident(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="resident",
    )
    phone = models.CharField(_("手机号"), max_length=11, unique=True, validators=[validate_mobile])
    real_name = models.CharField(_("姓名"), max_length=30)
    # Kept in full (course venues need it for courses that require it) but encrypted at rest and
    # shown masked everywhere except to the staff of a venue whose course the resident enrolled
    # in (each such view audit-logged). Duplicates are found through the keyed hash.
    id_number = EncryptedCharField(
        _("身份证号"), max_length=18, blank=True, validators=[validate_id_number]
    )
    id_number_hash = KeyedHashField(source="id_number")
    birth_date = models.DateField(
        _("出生日期"), null=True, blank=True, help_text=_("填写身份证号时自动取得。")
    )
    phone_verified_at = models.DateTimeField(_("手机验证时间"), null=True, blank=True)
    consented_at = models.DateTimeField(_("同意个人信息处理规则时间"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代为登记的工作人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at_venue = models.ForeignKey(
        "network.Venue",
        verbose_name=_("登记场馆"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="training_resident_unique_id_number",
                violation_error_message=_("该身份证号已被其他账号使用。"),
            )
        ]

    def __str__(self):
        return f"{self.real_name}（{self.masked_phone}）"

    def validate_constraints(self, exclude=None):
        # The hash stands in for the number: forms with the number check its uniqueness too.
        if exclude and "id_number" not in exclude:
            exclude = set(exclude) - {"id_number_hash"}
        self.id_number_hash = self._meta.get_field("id_number_hash").hash_of(self)
        super().validate_constraints(exclude=exclude)

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    masked_phone.fget.short_description = _("手机号")

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)

    masked_id_number.fget.short_description = _("身份证号")

    def age_on(self, day):
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class CodePurpose(models.TextChoices):
    SIGNUP = "signup", _("注册")
    PASSWORD = "password", _("重设密码")


class PhoneCode(models.Model):
    """A verification code sent to a phone; only its hash is kept."""

    phone = models.CharField(_("手机号"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=10, choices=CodePurpose.choices)
    code_hash = models.CharField(max_length=128)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("验证码")
        verbose_name_plural = _("验证码")
        indexes = [models.Index(fields=["phone", "purpose", "-sent_at"])]

    def __str__(self):
        return f"{self.get_purpose_display()} · {mask_phone(self.phone)}"
