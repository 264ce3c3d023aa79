from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from network.plan import Audience, FeeType, Level
from resources.catalogue import contributions as catalogue_contributions

from .blocks import BodyBlock
from .slugs import needs_pinyin, pinyin_slug, unique_sibling_slug


class PortalPageForm(WagtailAdminPageForm):
    """Slug optional in the form: a Chinese title gets a pinyin slug on save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("留空则由标题生成拼音网址，如 shu-fa-pei-xun。")


class PortalPage(Page):
    """Base of the portal's pages: pinyin slugs, and the venue that owns the page."""

    base_form_class = PortalPageForm

    class Meta:
        abstract = True

    def _apply_pinyin_slug(self):
        parent = getattr(self, "_cached_parent_obj", None) or (
            self.get_parent() if self.path else None
        )
        if needs_pinyin(self.slug) and parent is not None:
            base = pinyin_slug(self.slug or self.title) or "page"
            self.slug = unique_sibling_slug(base, parent, self)

    def full_clean(self, *args, **kwargs):
        self._apply_pinyin_slug()
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self._apply_pinyin_slug()
        return super().save(*args, **kwargs)

    @property
    def owning_venue(self):
        """The venue whose subtree holds this page: the nearest VenuePage, itself included."""
        owner = (
            VenuePage.objects.ancestor_of(self, inclusive=True)
            .select_related("venue")
            .order_by("-depth")
            .first()
        )
        return owner.venue if owner else None


def latest_news(root, limit):
    return ArticlePage.objects.live().public().descendant_of(root).order_by("-date", "-pk")[:limit]


def upcoming_events(root, limit):
    today_start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        EventPage.objects.live()
        .public()
        .descendant_of(root)
        .filter(end__gte=today_start)
        .order_by("start")[:limit]
    )


class HomePage(RoutablePageMixin, PortalPage):
    """The city hub's portal home: network news, events and the venue directory."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["portal.VenuePage", "portal.ArticleIndexPage", "portal.EventIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("门户首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news"] = latest_news(self, 6)
        context["events"] = upcoming_events(self, 6)
        context["venue_count"] = VenuePage.objects.live().descendant_of(self).count()
        return context

    @path("venues/", name="venue_directory")
    def venue_directory(self, request):
        from network.directory import directory_by_district

        return self.render(
            request,
            context_overrides={"districts": directory_by_district()},
            template="portal/venue_directory.html",
        )


class VenuePage(PortalPage):
    """The root of one venue's own subtree; created and moved with its Venue."""

    venue = models.OneToOneField(
        "network.Venue", on_delete=models.PROTECT, related_name="page", verbose_name=_("场馆")
    )
    intro = RichTextField(_("简介"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True)

    content_panels = [FieldPanel("intro"), FieldPanel("cover"), FieldPanel("body")]
    promote_panels = []  # title and slug follow the venue's name and code
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["portal.HomePage", "portal.VenuePage"]
    subpage_types = [
        "portal.VenuePage",
        "portal.ArticleIndexPage",
        "portal.EventIndexPage",
        "portal.ArticlePage",
        "portal.EventPage",
    ]
    is_creatable = False  # created by portal.provisioning when a Venue is created

    class Meta:
        verbose_name = _("场馆主页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        total, free = self.venue.weekly_hours()
        context.update(
            news=latest_news(self, 5),
            events=upcoming_events(self, 5),
            weekly_total_hours=total,
            weekly_free_hours=free,
            child_venues=VenuePage.objects.live().public().child_of(self).select_related("venue"),
            is_hub=self.venue.level == Level.HUB,
            contributions=catalogue_contributions(self.venue),
        )
        return context


class ArticleIndexPage(PortalPage):
    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage", "portal.VenuePage"]
    subpage_types = ["portal.ArticlePage"]

    class Meta:
        verbose_name = _("新闻栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.live().public().descendant_of(self).order_by("-date")
        context["articles"] = Paginator(articles, 12).get_page(request.GET.get("page"))
        return context


class ArticlePage(PortalPage):
    """News or a notice (新闻/通知)."""

    date = models.DateField(_("发布日期"), default=timezone.localdate)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("cover")]),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["portal.VenuePage", "portal.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("新闻/通知")


class EventIndexPage(PortalPage):
    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage", "portal.VenuePage"]
    subpage_types = ["portal.EventPage"]

    class Meta:
        verbose_name = _("活动栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = EventPage.objects.live().public().descendant_of(self).order_by("-start")
        context["events"] = Paginator(events, 12).get_page(request.GET.get("page"))
        return context


class EventPage(PortalPage):
    """A cultural activity (活动): when, where, for whom, and how to take part."""

    start = models.DateTimeField(_("开始时间"))
    end = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    audience = models.CharField(
        _("适合人群"), max_length=10, choices=Audience.choices, default=Audience.ALL
    )
    fee_type = models.CharField(
        _("收费类型"), max_length=10, choices=FeeType.choices, default=FeeType.FREE
    )
    fee_amount = models.DecimalField(
        _("费用（元）"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    registration_url = models.URLField(_("报名链接"), blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("活动介绍"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("place"),
                FieldRowPanel([FieldPanel("audience"), FieldPanel("capacity")]),
                FieldRowPanel([FieldPanel("fee_type"), FieldPanel("fee_amount")]),
                FieldPanel("registration_url"),
            ],
            heading=_("活动信息"),
        ),
        FieldPanel("cover"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("place"),
        index.SearchField("body"),
        index.FilterField("start"),
    ]
    parent_page_types = ["portal.VenuePage", "portal.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("活动")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="portal_event_ends_after_start",
                violation_error_message=_("结束时间不能早于开始时间。"),
            ),
        ]

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("结束时间不能早于开始时间。")
        if self.fee_type != FeeType.FREE and self.fee_amount is None:
            errors["fee_amount"] = _("收费或低收费活动请填写费用。")
        if self.fee_amount is not None and self.fee_amount < 0:
            errors["fee_amount"] = _("费用不能为负数。")
        if errors:
            raise ValidationError(errors)
