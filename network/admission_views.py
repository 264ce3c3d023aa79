"""Public pages of admission (/join/): a logged-in applicant (any account, e.g. a resident's)
applies, follows the application's timeline and resubmits it when sent back. Reviewers work in
the admin (network.admission_admin)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _

from . import admission_routing as routing
from . import admission_services as services
from .admission import Application, InspectionPhoto
from .admission_forms import ApplicationForm, ResubmitForm
from .plan import AdmissionStage

LOGIN_URL = reverse_lazy("account:login")
app_name = "network_apply"


def add_errors(form, error):
    for message in error.messages:
        form.add_error(None, message)


@login_required(login_url=LOGIN_URL)
def apply(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.submit(request.user, form.save(commit=False))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("申请已提交，等待%(venue)s受理。") % {"venue": application.reviewer}
            )
            return redirect("network_apply:detail", application.pk)
    return render(request, "network/admission/apply.html", {"form": form})


@login_required(login_url=LOGIN_URL)
def mine(request):
    applications = Application.objects.filter(applicant=request.user).select_related("reviewer")
    return render(request, "network/admission/mine.html", {"applications": applications})


@login_required(login_url=LOGIN_URL)
def detail(request, pk):
    application = get_object_or_404(Application.objects.select_related("reviewer"), pk=pk)
    if application.applicant_id != request.user.pk:
        raise Http404
    form = None
    if application.stage == AdmissionStage.RETURNED:
        form = ResubmitForm(request.POST or None, instance=application)
        if request.method == "POST" and form.is_valid():
            changes = {f: form.cleaned_data[f] for f in form.Meta.fields}
            try:
                services.resubmit(request.user, application, **changes)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("申请已重新提交。"))
                return redirect("network_apply:detail", pk)
    return render(
        request,
        "network/admission/detail.html",
        {
            "application": application,
            "events": application.events.select_related("user"),
            "form": form,
            "proposed_name": routing.standard_name(application),
        },
    )


@login_required(login_url=LOGIN_URL)
def agreement(request, pk):
    application = get_object_or_404(routing.visible_to(request.user), pk=pk)
    if not application.agreement_file:
        raise Http404
    return FileResponse(application.agreement_file.open("rb"), filename="agreement.pdf")


@login_required(login_url=LOGIN_URL)
def photo(request, pk):
    photo = get_object_or_404(InspectionPhoto, pk=pk)
    if not routing.visible_to(request.user).filter(pk=photo.application_id).exists():
        raise PermissionDenied
    return FileResponse(photo.image.open("rb"))


urlpatterns = [
    path("", apply, name="apply"),
    path("mine/", mine, name="mine"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/agreement.pdf", agreement, name="agreement"),
    path("photos/<int:pk>/", photo, name="photo"),
]
