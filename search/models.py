"""The search index as tables (the embedded backend), and what the hub edits: words and synonyms."""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import analysis


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公开")
    STAFF = "staff", _("仅网络内工作人员")
    OWNER = "owner", _("仅所属场馆")


class SearchDocument(models.Model):
    """One searchable thing, flattened: what results show, what facets count, what matches.

    The analysed token streams a–d feed an FTS5 table on SQLite and a generated, GIN-indexed
    tsvector column on PostgreSQL (both created by migration 0001)."""

    generation = models.PositiveIntegerField(default=1, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    venue_code = models.CharField(max_length=50, blank=True, db_index=True)  # as Venue.code
    venue_name = models.CharField(max_length=120, blank=True)  # as Venue.name
    district = models.CharField(max_length=50, blank=True)
    art_form = models.CharField(max_length=30, blank=True)
    audience = models.CharField(max_length=20, blank=True)
    fee_type = models.CharField(max_length=20, blank=True)
    date = models.DateTimeField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    # One integer per combination of facet values: facets group by it instead of six strings.
    facet_key = models.BigIntegerField(default=0)
    # Suggestions: normalised title, its pinyin and initials, searched by prefix.
    suggest_text = models.CharField(max_length=255, blank=True)
    suggest_pinyin = models.CharField(max_length=255, blank=True)
    suggest_initials = models.CharField(max_length=100, blank=True)
    a = models.TextField(blank=True)
    b = models.TextField(blank=True)
    c = models.TextField(blank=True)
    d = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["generation", "content_type", "object_id"], name="search_document_unique"
            )
        ]
        indexes = [
            models.Index(fields=["generation", "visibility", "suggest_pinyin"]),
            models.Index(fields=["generation", "visibility", "suggest_initials"]),
            models.Index(fields=["generation", "visibility", "suggest_text"]),
        ]

    def __str__(self):
        return self.title


class IndexState(models.Model):
    """Which generation of documents answers queries, and which one a rebuild is filling."""

    active = models.PositiveIntegerField(default=1)
    building = models.PositiveIntegerField(null=True, blank=True)
    # Bumped whenever documents change: cached results of an older version are never served.
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"active={self.active} building={self.building}"

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]

    @classmethod
    def bump(cls):
        cls.objects.filter(pk=1).update(version=models.F("version") + 1)

    def generations(self):
        return [g for g in (self.active, self.building) if g]


class PendingUpdate(models.Model):
    """An index update owed for one object: written in the same transaction as the change, and
    deleted only once applied, so a failed or interrupted update is retried, never lost."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    queued_at = models.DateTimeField(auto_now=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    # Bookkeeping, deleted once applied: Wagtail's reference index (a task per save) has
    # nothing to learn from it, and would look it up after it is gone.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("待更新索引")
        verbose_name_plural = _("待更新索引")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="search_pending_once"
            )
        ]

    def __str__(self):
        return f"{self.content_type} #{self.object_id}"


def _validate_word(value):
    if not analysis.CJK_RUN.match(analysis.normalize(value)):
        raise ValidationError(_("词条只能由汉字组成。"))


class DictionaryWord(models.Model):
    """A word the hub adds to the segmentation dictionary (用户词典)."""

    word = models.CharField(_("词条"), max_length=30, unique=True, validators=[_validate_word])
    frequency = models.PositiveIntegerField(
        _("词频"),
        default=20000,
        help_text=_("越大越倾向于整体切分；常用术语 10000–30000。jieba 不会采用没有词频的词。"),
    )
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("搜索词典词条")
        verbose_name_plural = _("搜索词典")
        ordering = ["word"]

    def __str__(self):
        return self.word

    def clean(self):
        self.word = analysis.normalize(self.word).strip()


class SynonymGroup(models.Model):
    """Words a resident may use for the same thing (少儿=儿童=青少年)."""

    terms = models.CharField(
        _("同义词"), max_length=200, help_text=_("用「=」或逗号分隔，如：少儿=儿童=青少年")
    )

    class Meta:
        verbose_name = _("同义词组")
        verbose_name_plural = _("同义词")

    def __str__(self):
        return "=".join(self.words())

    def words(self):
        import re

        parts = re.split(r"[=,，、\s]+", analysis.normalize(self.terms))
        return list(dict.fromkeys(p for p in parts if p))

    def clean(self):
        words = self.words()
        if len(words) < 2:
            raise ValidationError({"terms": _("同义词组至少需要两个词。")})
        for word in words:
            if not analysis.RUN.fullmatch(word):
                raise ValidationError({"terms": _("「%(word)s」含有符号。") % {"word": word}})
        self.terms = "=".join(words)


class ZeroResultQuery(models.Model):
    """Queries residents ran that found nothing, so the hub can grow the dictionary."""

    query = models.CharField(_("搜索词"), max_length=100, unique=True)
    count = models.PositiveIntegerField(_("次数"), default=1)
    first_seen = models.DateTimeField(_("首次出现"), auto_now_add=True)
    last_seen = models.DateTimeField(_("最近出现"), auto_now=True)

    class Meta:
        verbose_name = _("无结果搜索")
        verbose_name_plural = _("无结果搜索")
        ordering = ["-count", "-last_seen"]

    def __str__(self):
        return self.query


SYNONYM_CACHE_KEY = "search:synonyms"


def forget_synonyms():
    cache.delete(SYNONYM_CACHE_KEY)


def synonym_map():
    """word → [equivalent words], from every group (a word in two groups gets both); cached,
    so a query costs no extra database round trip."""
    mapping = cache.get(SYNONYM_CACHE_KEY)
    if mapping is not None:
        return mapping
    mapping = {}
    for group in SynonymGroup.objects.all():
        words = group.words()
        for word in words:
            mapping.setdefault(word, []).extend(w for w in words if w != word)
    # Other processes keep their copy at most a minute (a shared cache makes it immediate).
    cache.set(SYNONYM_CACHE_KEY, mapping, timeout=60)
    return mapping
