import os
import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.models import Orderable
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from network.plan import PUBLIC_STATUSES, Audience, FeeType
from portal.privacy import mask_phone

from .vocab import (
    AssetKind,
    CourseLevel,
    CourseStatus,
    HeritageCategory,
    HeritageLevel,
    ProgrammeKind,
    TeachingAssetKind,
    Visibility,
)


class ArtForm(models.Model):
    """The shared vocabulary of art forms (艺术门类), kept by the hub."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("艺术门类")
        verbose_name_plural = _("艺术门类")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class CatalogueQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def public(self):
        return self.filter(visibility=Visibility.PUBLIC, owner__status__in=PUBLIC_STATUSES)

    def visible_to(self, user):
        """Entries a user may see: public ones; network staff also see staff-only ones;
        staff of the owner venue also see owner-only ones. Superusers see everything."""
        from network.services import venues_for_user

        if getattr(user, "is_superuser", False):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.public()
        own = list(venues_for_user(user).values_list("pk", flat=True))
        if not own:
            return self.public()
        return self.filter(
            Q(visibility__in=[Visibility.PUBLIC, Visibility.STAFF]) | Q(owner__in=own)
        )

    def owned_by_user(self, user):
        from network.services import venues_for_user

        if getattr(user, "is_superuser", False):
            return self.all()
        return self.filter(owner__in=venues_for_user(user))


class CatalogueEntry(index.Indexed, ClusterableModel):
    """An entry of the shared catalogue: it belongs to the venue that contributed it."""

    owner = models.ForeignKey(
        "network.Venue",
        verbose_name=_("所属场馆"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    visibility = models.CharField(
        _("可见范围"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC


class LoanRules(models.Model):
    """Owner-set borrowing rules of a lendable item (借用规则)."""

    lendable = models.BooleanField(_("可外借"), default=True)
    max_loan_days = models.PositiveSmallIntegerField(
        _("最长借用天数"), default=30, validators=[MinValueValidator(1)]
    )
    buffer_days_before = models.PositiveSmallIntegerField(
        _("借出前准备天数"), default=0, help_text=_("运输、准备所需天数，计入占用。")
    )
    buffer_days_after = models.PositiveSmallIntegerField(
        _("归还后整理天数"), default=0, help_text=_("运输、整理所需天数，计入占用。")
    )

    class Meta:
        abstract = True


class Teacher(CatalogueEntry, LoanRules):
    """师资: a teacher or instructor contributed by a venue."""

    name = models.CharField(_("姓名"), max_length=50)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("照片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    art_forms = ParentalManyToManyField(ArtForm, verbose_name=_("艺术门类"), blank=True)
    bio = models.TextField(_("简介"), blank=True)
    qualifications = models.TextField(_("资历"), blank=True)
    teaching_levels = models.CharField(
        _("授课层次"), max_length=100, blank=True, help_text=_("如：少儿启蒙、成人提高")
    )
    availability = models.CharField(_("可授课时间"), max_length=200, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)

    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("bio"),
        index.SearchField("qualifications"),
        index.FilterField("owner"),
        index.FilterField("visibility"),
    ]

    class Meta:
        verbose_name = _("师资")
        verbose_name_plural = _("师资")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="resources_teacher_unique_name")
        ]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    masked_phone.fget.short_description = _("手机")


class Course(CatalogueEntry):
    """课程: a course offered by a venue on the city-wide menu."""

    title = models.CharField(_("课程名称"), max_length=120)
    art_form = models.ForeignKey(
        ArtForm, verbose_name=_("艺术门类"), on_delete=models.PROTECT, related_name="courses"
    )
    level = models.CharField(
        _("层次"), max_length=15, choices=CourseLevel.choices, default=CourseLevel.BEGINNER
    )
    audience = models.CharField(
        _("适合人群"), max_length=10, choices=Audience.choices, default=Audience.ALL
    )
    teachers = ParentalManyToManyField(
        Teacher, verbose_name=_("授课教师"), blank=True, related_name="courses"
    )
    capacity = models.PositiveIntegerField(_("名额"), validators=[MinValueValidator(1)])
    fee_type = models.CharField(
        _("收费类型"), max_length=10, choices=FeeType.choices, default=FeeType.FREE
    )
    fee_amount = models.DecimalField(
        _("费用（元）"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    schedule_note = models.CharField(
        _("上课时间"), max_length=100, blank=True, help_text=_("如：每周六 09:00-11:00")
    )
    description = models.TextField(_("简介"), blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=CourseStatus.choices, default=CourseStatus.DRAFT
    )

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("description"),
        index.FilterField("owner"),
        index.FilterField("visibility"),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("课程")
        ordering = ["-start_date", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "title", "start_date"], name="resources_course_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date"))
                | Q(end_date__isnull=True)
                | Q(start_date__isnull=True),
                name="resources_course_dates_ordered",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self):
        return self.title


class CourseSession(Orderable):
    course = ParentalKey(Course, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("日期"))
    starts = models.TimeField(_("开始"))
    ends = models.TimeField(_("结束"))
    room = models.CharField(_("教室"), max_length=60, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("课次")
        verbose_name_plural = _("课次")
        ordering = ["date", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")),
                name="resources_session_ends_after_start",
                violation_error_message=_("下课时间必须晚于上课时间。"),
            )
        ]


class Programme(CatalogueEntry, LoanRules):
    """节目/服务项目 offered for distribution to branches (精品节目配送)."""

    title = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=15, choices=ProgrammeKind.choices)
    art_form = models.ForeignKey(
        ArtForm, verbose_name=_("艺术门类"), null=True, blank=True, on_delete=models.PROTECT
    )
    performers = models.TextField(_("演职人员"), blank=True)
    duration_minutes = models.PositiveIntegerField(_("时长（分钟）"), null=True, blank=True)
    needs_stage = models.BooleanField(_("需要舞台"), default=False)
    power_kw = models.DecimalField(
        _("用电功率（千瓦）"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    min_area = models.PositiveIntegerField(_("场地面积（㎡）"), null=True, blank=True)
    requirements = models.TextField(_("其他要求"), blank=True)
    description = models.TextField(_("简介"), blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("description"),
        index.SearchField("performers"),
        index.FilterField("owner"),
        index.FilterField("visibility"),
    ]

    class Meta:
        verbose_name = _("节目/服务项目")
        verbose_name_plural = _("节目/服务项目")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


class ProgrammeDate(Orderable):
    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="available_dates")
    date = models.DateField(_("可配送日期"))

    class Meta(Orderable.Meta):
        verbose_name = _("可配送日期")
        ordering = ["date"]


class TaggedMediaAsset(TaggedItemBase):
    content_object = ParentalKey(
        "resources.MediaAsset", on_delete=models.CASCADE, related_name="tagged_items"
    )


def asset_upload_to(instance, filename):
    """assets/<venue code>/<random>.<ext>: never the uploader's name, never a collision."""
    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"assets/{instance.owner.code}/{uuid.uuid4().hex}{extension}"


class MediaAsset(CatalogueEntry):
    """An audio, video, image or document file in media storage."""

    title = models.CharField(_("标题"), max_length=150)
    description = models.TextField(_("说明"), blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=AssetKind.choices)
    art_form = models.ForeignKey(
        ArtForm, verbose_name=_("艺术门类"), null=True, blank=True, on_delete=models.PROTECT
    )
    tags = ClusterTaggableManager(through=TaggedMediaAsset, blank=True, verbose_name=_("标签"))
    # Wagtail's collection tree, where the venue's images and documents are filed too. Nullable
    # (not filed) rather than Wagtail's default of the root, which is every venue's; SET_NULL
    # because a collection is only a filing place (ownership, permissions and quota go by the
    # owner venue), and Wagtail's collection delete would fail on PROTECT (it asks only its
    # describe_collection_contents hooks) while CASCADE would delete media.
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("集合"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    licence = models.CharField(
        _("授权/使用说明"), max_length=200, blank=True, help_text=_("如：仅限网络内公益使用")
    )
    file = models.FileField(_("文件"), upload_to=asset_upload_to, max_length=255)
    file_size = models.PositiveBigIntegerField(_("大小（字节）"), default=0, editable=False)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("description"),
        index.FilterField("owner"),
        index.FilterField("visibility"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = _("媒体资源")
        verbose_name_plural = _("媒体资源")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return self.title


class TeachingAsset(CatalogueEntry, LoanRules):
    """A physical or teaching asset a venue lends: costumes, instruments, boards, course packages."""

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=15, choices=TeachingAssetKind.choices)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    description = models.TextField(_("说明"), blank=True)
    is_digital = models.BooleanField(
        _("数字资源"), default=False, help_text=_("数字资源（如录播课程包）可同时借给多个场馆。")
    )

    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("description"),
        index.FilterField("owner"),
        index.FilterField("visibility"),
    ]

    class Meta:
        verbose_name = _("教学资产")
        verbose_name_plural = _("教学资产")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class HeritageItem(CatalogueEntry):
    """非遗项目 with its inheritors (传承人) and media."""

    name = models.CharField(_("项目名称"), max_length=120)
    level = models.CharField(_("级别"), max_length=12, choices=HeritageLevel.choices)
    category = models.CharField(_("类别"), max_length=12, choices=HeritageCategory.choices)
    inheritors = ParentalManyToManyField(
        Teacher, verbose_name=_("传承人"), blank=True, related_name="heritage_items"
    )
    media = ParentalManyToManyField(
        MediaAsset, verbose_name=_("相关媒体"), blank=True, related_name="heritage_items"
    )
    description = models.TextField(_("简介"), blank=True)

    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("description"),
        index.FilterField("owner"),
        index.FilterField("visibility"),
    ]

    class Meta:
        verbose_name = _("非遗项目")
        verbose_name_plural = _("非遗项目")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


from .loans import Loan  # noqa: E402,F401
from .orders import OrderEvent, ServiceOrder  # noqa: E402,F401
