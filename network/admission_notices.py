"""E-mails about an application's steps: to the applicant and to the reviewers of the step it
now waits for, sent after the transaction commits (a refused step sends nothing)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTION_LABELS = {
    "submit": gettext_lazy("提交申请"),
    "resubmit": gettext_lazy("重新提交"),
    "send_back": gettext_lazy("退回修改"),
    "inspect": gettext_lazy("现场考察"),
    "sign": gettext_lazy("签订协议"),
    "train": gettext_lazy("人员培训"),
    "plaque": gettext_lazy("挂牌"),
}


def notify_after_commit(application_pk, action, actor):
    transaction.on_commit(lambda: send_notice(application_pk, action, actor))


def moderator_emails(venues):
    groups = [v.moderators_group_id for v in venues if v.moderators_group_id]
    users = get_user_model().objects.filter(groups__in=groups, is_active=True).exclude(email="")
    return set(users.values_list("email", flat=True))


def send_notice(application_pk, action, actor):
    from .admission import Application
    from .admission_routing import actor_venues

    application = Application.objects.select_related("applicant", "reviewer").get(pk=application_pk)
    reviewers = moderator_emails({application.reviewer, *actor_venues(application)})
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    subject = _("【入网申请】%(action)s：%(organisation)s") % {
        "action": ACTION_LABELS[action],
        "organisation": application.organisation,
    }
    lines = [
        _("申请单位：%(name)s（%(level)s）")
        % {"name": application.organisation, "level": application.get_level_display()},
        _("受理场馆：%(venue)s") % {"venue": application.reviewer},
        _("当前进度：%(stage)s") % {"stage": application.get_stage_display()},
    ]
    if application.return_reason and action in ("send_back", "inspect"):
        lines.append(_("退回理由：%(reason)s") % {"reason": application.return_reason})
    if application.plaque_name and action == "plaque":
        lines.append(_("挂牌名称：%(name)s") % {"name": application.plaque_name})
    actor_email = getattr(actor, "email", "")
    for recipients, extra, url in (
        (
            [application.applicant.email],
            _editor_lines(application, base_url) if action == "plaque" else [],
            reverse("network_apply:detail", args=[application.pk]),
        ),
        (sorted(reviewers), [], reverse("network_admission:detail", args=[application.pk])),
    ):
        recipients = [r for r in recipients if r and r != actor_email]
        if recipients:
            body = "\n".join([*lines, *extra, base_url + url])
            send_mail(subject, body, None, recipients, fail_silently=True)


def _editor_lines(application, base_url):
    """Tells the applicant they now edit the new venue's pages (set at 挂牌)."""
    venue = application.venue
    if venue is None or not application.applicant.groups.filter(pk=venue.editors_group_id).exists():
        return []
    return [
        _("您的账号“%(username)s”已加入“%(group)s”，可登录管理后台编辑本场馆的页面：%(url)s")
        % {
            "username": application.applicant.get_username(),
            "group": venue.editors_group.name,
            "url": base_url + reverse("wagtailadmin_home"),
        }
    ]
