"""How catalogue entries become search documents (registered with the search app)."""

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.plan import PUBLIC_STATUSES
from search.sources import Document, Source, register

from .models import Course, HeritageItem, MediaAsset, Programme, Teacher
from .vocab import CourseStatus, Visibility


def _visibility(entry):
    # An entry of a venue that left the public site is only its own staff's business.
    if entry.owner.status not in PUBLIC_STATUSES:
        return Visibility.OWNER
    return entry.visibility


def _at(day):
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


def _url(slug, entry):
    return reverse("catalogue:detail", args=[slug, entry.pk])


def _lines(*parts):
    return "\n".join(p for p in parts if p)


def _course(course):
    if course.status == CourseStatus.DRAFT:
        return None
    return Document(
        title=course.title,
        url=_url("courses", course),
        visibility=_visibility(course),
        body=_lines(course.art_form.name if course.art_form else "", course.description),
        venue=course.owner,
        art_form=course.art_form.name if course.art_form else "",
        audience=course.audience,
        fee_type=course.fee_type,
        date=_at(course.start_date),
    )


def _teacher(teacher):
    forms = [f.name for f in teacher.art_forms.all()]
    return Document(
        title=teacher.name,
        url=_url("teachers", teacher),
        visibility=_visibility(teacher),
        body=_lines(" ".join(forms), teacher.teaching_levels, teacher.bio, teacher.qualifications),
        venue=teacher.owner,
        art_form=forms[0] if forms else "",
        date=teacher.updated_at,
    )


def _programme(programme):
    return Document(
        title=programme.title,
        url=_url("programmes", programme),
        visibility=_visibility(programme),
        body=_lines(
            programme.art_form.name if programme.art_form else "",
            programme.description,
            programme.performers,
        ),
        venue=programme.owner,
        art_form=programme.art_form.name if programme.art_form else "",
        date=programme.updated_at,
    )


def _asset(asset):
    return Document(
        title=asset.title,
        url=_url("assets", asset),
        visibility=_visibility(asset),
        body=_lines(asset.art_form.name if asset.art_form else "", asset.description),
        venue=asset.owner,
        art_form=asset.art_form.name if asset.art_form else "",
        date=asset.updated_at,
    )


def _heritage(item):
    return Document(
        title=item.name,
        url=_url("heritage", item),
        visibility=_visibility(item),
        body=_lines(item.get_category_display(), item.get_level_display(), item.description),
        venue=item.owner,
        date=item.updated_at,
    )


def _owned(model):
    return lambda venue: model.objects.filter(owner=venue)


def register_sources():
    for kind, label, model, to_document, related in (
        ("course", _("课程"), Course, _course, ("owner", "art_form")),
        ("teacher", _("师资"), Teacher, _teacher, ("owner",)),
        ("programme", _("节目"), Programme, _programme, ("owner", "art_form")),
        ("asset", _("数字资源"), MediaAsset, _asset, ("owner", "art_form")),
        ("heritage", _("非遗"), HeritageItem, _heritage, ("owner",)),
    ):
        prefetch = ("art_forms",) if model is Teacher else ()
        register(
            Source(
                kind,
                label,
                model,
                queryset=lambda model=model, related=related, prefetch=prefetch: (
                    model.objects.select_related(*related).prefetch_related(*prefetch)
                ),
                to_document=to_document,
                owned_by=_owned(model),
            )
        )
