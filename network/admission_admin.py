"""Admin pages of admission (入网申请): the reviewers' list, an application with its timeline
and the form of the step it waits for, one POST URL per step. The services decide: a crafted
POST for another county's application gets 403, one for a step not yet due changes nothing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.admin_views import ForbiddenMixin

from . import admission_routing as routing
from . import admission_services as services
from .admission import Application
from .admission_forms import STEP_FORMS, ApplicationForm, SendBackForm
from .admission_views import add_errors
from .plan import AdmissionStage

app_name = "network_admission"


class ApplicationListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "network/admission/admin_index.html"
    page_title = gettext_lazy("入网申请")
    header_icon = "form"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        applications = routing.visible_to(self.request.user)
        stage = self.request.GET.get("stage", "")
        if stage in AdmissionStage.values:
            applications = applications.filter(stage=stage)
        context.update(applications=applications, stage=stage, stages=AdmissionStage.choices)
        return context


class ApplicationCreateView(WagtailAdminTemplateMixin, FormView):
    template_name = "network/admission/admin_create.html"
    form_class = ApplicationForm
    page_title = gettext_lazy("代为提交入网申请")
    header_icon = "plus"

    def form_valid(self, form):
        try:
            application = services.submit(
                self.request.user, form.save(commit=False), on_behalf=True
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("申请已提交。"))
        return redirect("network_admission:detail", application.pk)


def step_form(application, data=None, files=None):
    form_class = STEP_FORMS.get(application.stage)
    if form_class is None:
        return None
    kwargs = {"data": data, "files": files}
    if application.stage == AdmissionStage.INSPECTION:
        kwargs["items"] = routing.checklist_items(application.level)
    if application.stage == AdmissionStage.PLAQUE:
        kwargs["initial"] = {"code": routing.suggest_code(application)}
    return form_class(**kwargs)


class ApplicationDetailView(ForbiddenMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "network/admission/admin_detail.html"
    header_icon = "form"
    page_title = gettext_lazy("入网申请")

    def dispatch(self, request, *args, **kwargs):
        visible = routing.visible_to(request.user)
        self.application = visible.filter(pk=kwargs["pk"]).first()
        if self.application is None:
            get_object_or_404(Application, pk=kwargs["pk"])
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.application)

    def get_context_data(self, form=None, send_back_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        can_act = application.stage in STEP_FORMS and routing.can_act(
            self.request.user, application
        )
        context.update(
            application=application,
            events=application.events.select_related("user"),
            photos=application.photos.all(),
            proposed_name=application.plaque_name or routing.standard_name(application),
            actors=routing.actor_venues(application),
            can_act=can_act,
            form=form or (step_form(application) if can_act else None),
            send_back_form=send_back_form or (SendBackForm() if can_act else None),
            requirement_errors=routing.application_errors(application),
        )
        return context


class StepView(ApplicationDetailView):
    """POST /<pk>/<step>/: do `step`. The step named in the URL must be the one due."""

    http_method_names = ["post"]

    def post(self, request, pk, step):
        application = self.application
        if step == "send_back":
            form = SendBackForm(request.POST)
            if form.is_valid():
                return self._run(
                    services.send_back, form, "send_back_form", form.cleaned_data["reason"]
                )
            return self.render_to_response(self.get_context_data(send_back_form=form))
        if step not in STEP_FORMS:
            raise PermissionDenied
        if not routing.can_act(request.user, application, step):
            raise PermissionDenied
        form_class = STEP_FORMS[step]
        kwargs = (
            {"items": routing.checklist_items(application.level)} if step == "inspection" else {}
        )
        form = form_class(request.POST, request.FILES, **kwargs)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        if step == "inspection":
            args = (
                data["inspected_on"],
                data["inspectors"],
                form.results(),
                data["conclusion"],
                data["notes"],
                data["photos"],
            )
            return self._run(services.record_inspection, form, "form", *args)
        if step == "agreement":
            args = (data["signed_on"], data["document"], data["generate"])
            return self._run(services.sign_agreement, form, "form", *args)
        if step == "training":
            args = (data["trained_staff"], data["trained_on"], data["trained_by"])
            return self._run(services.record_training, form, "form", *args)
        return self._run(services.award_plaque, form, "form", data["plaqued_on"], data["code"])

    def _run(self, action, form, form_name, *args):
        try:
            action(self.request.user, self.application, *args)
        except ValidationError as error:
            add_errors(form, error)
            self.application.refresh_from_db()
            return self.render_to_response(self.get_context_data(**{form_name: form}), status=400)
        messages.success(self.request, _("已办理。"))
        return redirect(reverse("network_admission:detail", args=[self.application.pk]))


urlpatterns = [
    path("", ApplicationListView.as_view(), name="index"),
    path("new/", ApplicationCreateView.as_view(), name="create"),
    path("<int:pk>/", ApplicationDetailView.as_view(), name="detail"),
    path("<int:pk>/<str:step>/", StepView.as_view(), name="step"),
]
