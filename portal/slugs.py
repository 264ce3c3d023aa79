"""Readable, stable ASCII slugs for Chinese titles (县文化馆举办书法培训 → xian-wen-hua-guan-...)."""

from django.utils.text import slugify
from pypinyin import Style, lazy_pinyin

MAX_SLUG_LENGTH = 80


def pinyin_slug(text, max_length=MAX_SLUG_LENGTH):
    words = (slugify(part) for part in lazy_pinyin(text or "", style=Style.NORMAL))
    slug = ""
    for word in filter(None, words):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug


def needs_pinyin(slug):
    return not slug or not slug.isascii()


def unique_sibling_slug(base, parent, page):
    """`base`, or `base-2`, `base-3` … so that no sibling of `page` under `parent` has it."""
    from wagtail.models import Page

    slug, suffix = base, 1
    while not Page._slug_is_available(slug, parent, page):
        suffix += 1
        slug = f"{base}-{suffix}"
    return slug
