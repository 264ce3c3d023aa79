"""Admission (入网) services: every step of an application goes through here.

Each step checks the user's right to act (PermissionDenied), validates (ValidationError, Chinese,
nothing written) and moves the stage with a conditional UPDATE on the stage it expects: a crafted
POST for a later step, or two reviewers clicking at once, finds the row elsewhere and changes
nothing. The venue, its page tree and its editor groups are created at 挂牌 and not before; the
applicant's account then joins the new venue's editors (unless a reviewer submitted for them).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import admission_notices
from .admission import AdmissionEvent, Application, InspectionConclusion, InspectionPhoto
from .admission_routing import (
    STEP_ACTORS,
    application_errors,
    can_act,
    checklist_items,
    route,
    standard_name,
    suggest_code,
    venue_parent,
)
from .agreement_pdf import agreement_context, agreement_pdf
from .models import Venue
from .plan import AdmissionStage
from .services import save_venue

S = AdmissionStage
MAX_PHOTOS = 12
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _check(application):
    errors = application_errors(application)
    if errors:
        raise ValidationError(errors)
    application.full_clean(exclude=["applicant", "reviewer", "venue", "agreement_file"])


def _not_future(day, label):
    if day is None:
        raise ValidationError(_("请填写%(label)s。") % {"label": label})
    if day > timezone.localdate():
        raise ValidationError(_("%(label)s不能晚于今天。") % {"label": label})


def _not_before(day, earlier, label, earlier_label):
    if earlier and day < earlier:
        raise ValidationError(
            _("%(label)s %(day)s 早于%(earlier_label)s %(earlier)s，请核对。")
            % {"label": label, "day": day, "earlier_label": earlier_label, "earlier": earlier}
        )


# --- moving ---------------------------------------------------------------------------------


def _log(application, action, from_stage, to_stage, user, note=""):
    AdmissionEvent.objects.create(
        application=application,
        action=action,
        from_stage=from_stage or "",
        to_stage=to_stage,
        user=user,
        note=note,
    )
    admission_notices.notify_after_commit(application.pk, action, user)


def _move(application, from_stage, to_stage, **fields):
    """The database guard: update only while the row is still at `from_stage`."""
    moved = Application.objects.filter(pk=application.pk, stage=from_stage).update(
        stage=to_stage, updated_at=timezone.now(), **fields
    )
    if not moved:
        raise ValidationError(
            _("该申请已不在“%(stage)s”步骤（可能已被他人处理），操作未执行。")
            % {"stage": S(from_stage).label}
        )
    application.refresh_from_db()


def _start_step(user, application, stage):
    """Fresh row, at `stage`, and `user` may act there."""
    application = Application.objects.select_related("reviewer").get(pk=application.pk)
    if not can_act(user, application, stage):
        raise PermissionDenied(_("您无权处理这份申请的这一步骤。"))
    if application.stage != stage:
        raise ValidationError(
            _("该申请当前为“%(current)s”，不能办理“%(step)s”：各步骤须依次办理。")
            % {"current": application.get_stage_display(), "step": S(stage).label}
        )
    return application


def submit(user, application, on_behalf=False):
    """提出申请: validate, route and save a new application (nothing saved if anything fails).
    `on_behalf`: a reviewer enters it in the admin for an applicant without an account here."""
    if not user.is_authenticated:
        raise PermissionDenied(_("请先登录再提交申请。"))
    application.applicant = user
    application.submitted_on_behalf = on_behalf
    application.applied_on = timezone.localdate()
    application.stage = S.INSPECTION
    _check(application)
    application.reviewer = route(application.operator_type, application.level, application.district)
    with transaction.atomic():
        application.save()
        _log(application, "submit", "", S.INSPECTION, user)
    return application


def resubmit(user, application, **changes):
    """The applicant answers a send-back: corrected data, rechecked, back to the same step.
    Routing fields (type, operator, district) cannot change: that would be a new application."""
    if application.applicant_id != user.pk:
        raise PermissionDenied(_("只有申请人可以重新提交申请。"))
    fixed = {"level", "operator_type", "district", "applicant", "reviewer", "stage"}
    if fixed & set(changes):
        raise ValidationError(_("申请类型、举办主体和区县不能修改；如需更改，请重新提出申请。"))
    current = Application.objects.get(pk=application.pk)
    if current.stage != S.RETURNED:
        raise ValidationError(_("只有被退回的申请可以重新提交。"))
    for field, value in changes.items():
        setattr(current, field, value)
    _check(current)
    back_to = current.returned_from
    with transaction.atomic():
        _move(current, S.RETURNED, back_to, returned_from="", return_reason="", **changes)
        _log(current, "resubmit", S.RETURNED, back_to, user)
    return current


def send_back(user, application, reason):
    """Any step's actor returns the application to the applicant with reasons."""
    reason = (reason or "").strip()
    stage = Application.objects.values_list("stage", flat=True).get(pk=application.pk)
    if stage not in STEP_ACTORS:
        raise ValidationError(_("该申请当前不在办理中，不能退回。"))
    application = _start_step(user, application, stage)
    if not reason:
        raise ValidationError(_("退回时请填写理由。"))
    with transaction.atomic():
        _move(application, stage, S.RETURNED, returned_from=stage, return_reason=reason)
        _log(application, "send_back", stage, S.RETURNED, user, reason)
    return application


def record_inspection(
    user, application, inspected_on, inspectors, results, conclusion, notes="", photos=()
):
    """现场考察: date, inspectors, one result per checklist item, photos, conclusion."""
    application = _start_step(user, application, S.INSPECTION)
    _not_future(inspected_on, _("考察日期"))
    _not_before(inspected_on, application.applied_on, _("考察日期"), _("申请日期"))
    inspectors = (inspectors or "").strip()
    notes = (notes or "").strip()
    if not inspectors:
        raise ValidationError(_("请填写考察人员。"))
    items = checklist_items(application.level)
    missing = [item for item in items if item not in results]
    if missing:
        raise ValidationError(_("请填写检查项：%(items)s。") % {"items": "、".join(missing)})
    failed = [item for item in items if not results[item]]
    if conclusion not in InspectionConclusion.values:
        raise ValidationError(_("请选择考察结论。"))
    if conclusion == InspectionConclusion.PASS and failed:
        raise ValidationError(
            _("检查项“%(items)s”不符合，考察结论不能为“通过”。") % {"items": "、".join(failed)}
        )
    if conclusion != InspectionConclusion.PASS and not notes:
        raise ValidationError(_("考察未通过时请在考察意见中说明原因。"))
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("现场照片最多 %(max)s 张。") % {"max": MAX_PHOTOS})
    target, extra = {
        InspectionConclusion.PASS: (S.AGREEMENT, {}),
        InspectionConclusion.RECTIFY: (
            S.RETURNED,
            {"returned_from": S.INSPECTION, "return_reason": notes},
        ),
        InspectionConclusion.FAIL: (S.REJECTED, {}),
    }[conclusion]
    stored = []
    try:
        with transaction.atomic():
            _move(
                application,
                S.INSPECTION,
                target,
                inspected_on=inspected_on,
                inspectors=inspectors,
                checklist={item: bool(results[item]) for item in items},
                inspection_conclusion=conclusion,
                inspection_notes=notes,
                **extra,
            )
            for photo in photos:
                stored.append(
                    default_storage.save(
                        InspectionPhoto.image.field.generate_filename(None, photo.name), photo
                    )
                )
                InspectionPhoto.objects.create(application=application, image=stored[-1])
            _log(application, "inspect", S.INSPECTION, target, user, notes)
    except BaseException:
        for name in stored:  # no orphan files when the step is refused
            default_storage.delete(name)
        raise
    return application


def sign_agreement(user, application, signed_on, upload=None, generate=False):
    """签订协议: an uploaded PDF, or one generated from the template; the signing date."""
    application = _start_step(user, application, S.AGREEMENT)
    _not_future(signed_on, _("签订日期"))
    _not_before(signed_on, application.inspected_on, _("签订日期"), _("考察日期"))
    if generate:
        application.plaque_name = standard_name(application)
        content = ContentFile(
            agreement_pdf(agreement_context(application, venue_parent(application), signed_on)),
            name="agreement.pdf",
        )
    elif upload is not None:
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("协议文件过大（上限 20 MB）。"))
        upload.seek(0)
        if not upload.read(5).startswith(b"%PDF-"):
            raise ValidationError(_("协议文件须为 PDF。"))
        upload.seek(0)
        content = upload
    else:
        raise ValidationError(_("请上传已签订的协议（PDF），或选择按模板生成。"))
    name = default_storage.save(
        Application.agreement_file.field.generate_filename(None, "agreement.pdf"), content
    )
    try:
        with transaction.atomic():
            _move(
                application,
                S.AGREEMENT,
                S.TRAINING,
                agreement_file=name,
                agreement_generated=bool(generate),
                agreement_signed_on=signed_on,
            )
            _log(application, "sign", S.AGREEMENT, S.TRAINING, user)
    except BaseException:
        default_storage.delete(name)
        raise
    return application


def record_training(user, application, trained_staff, trained_on, trained_by):
    """人员培训: who was trained, when, by whom."""
    application = _start_step(user, application, S.TRAINING)
    trained_staff, trained_by = (trained_staff or "").strip(), (trained_by or "").strip()
    if not trained_staff or not trained_by:
        raise ValidationError(_("请填写参训人员和培训单位/讲师。"))
    _not_future(trained_on, _("培训日期"))
    _not_before(trained_on, application.agreement_signed_on, _("培训日期"), _("签订日期"))
    with transaction.atomic():
        _move(
            application,
            S.TRAINING,
            S.PLAQUE,
            trained_staff=trained_staff,
            trained_on=trained_on,
            trained_by=trained_by,
        )
        _log(application, "train", S.TRAINING, S.PLAQUE, user)
    return application


def award_plaque(user, application, plaqued_on, code=""):
    """挂牌: the venue is created now, with the plan's standard name, its page tree and its
    editor groups (network.services.save_venue → portal.provisioning), the applicant joins its
    editors, and the application becomes 运行中 — all in one transaction."""
    application = _start_step(user, application, S.PLAQUE)
    _not_future(plaqued_on, _("挂牌日期"))
    _not_before(plaqued_on, application.trained_on, _("挂牌日期"), _("培训日期"))
    parent = venue_parent(application)
    venue = Venue(
        code=(code or "").strip() or suggest_code(application),
        level=application.level,
        parent=parent,
        place_name=application.place_name,
        operator_type=application.operator_type,
        district=application.district,
        township=application.township,
        address=application.address,
        latitude=application.latitude,
        longitude=application.longitude,
        floor_area=application.floor_area,
        staff_count=application.staff_count,
        has_training_room=application.has_training_room,
        has_functional_rooms=application.has_functional_rooms,
        description=application.description,
        opened_on=plaqued_on,
    )
    with transaction.atomic():
        save_venue(venue)
        _move(
            application,
            S.PLAQUE,
            S.OPERATING,
            venue=venue,
            plaque_name=venue.name,
            plaqued_on=plaqued_on,
        )
        if not application.submitted_on_behalf:
            # The applicant runs the new venue: they edit its pages from today (the notice
            # tells them so); its moderators still review what they publish.
            application.applicant.groups.add(venue.editors_group)
        _log(application, "plaque", S.PLAQUE, S.OPERATING, user, venue.name)
    return application
