"""Admin pages of the evaluation: the list, a version's ranking, a venue's breakdown, the diff
between versions, and the POSTed actions (compute, publish, confirm 摘牌)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.admin_views import ForbiddenMixin

from ..services import overseen_venue_ids
from . import services
from .compute import compute
from .diff import compare
from .models import Evaluation, IndicatorSystem, VenueResult


class EvaluationIndexView(ForbiddenMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "network/evaluation/index.html"
    page_title = gettext_lazy("考核评比")
    header_icon = "order"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        manage = services.can_manage(self.request.user)
        if not manage and overseen_venue_ids(self.request.user) == set():
            raise PermissionDenied
        context.update(
            manage=manage,
            systems=IndicatorSystem.objects.all() if manage else [],
            evaluations=services.visible_evaluations(self.request.user),
        )
        return context


class EvaluationView(ForbiddenMixin, WagtailAdminTemplateMixin, TemplateView):
    """The ranking table of one version."""

    template_name = "network/evaluation/ranking.html"
    header_icon = "order"

    def get_page_title(self):
        return str(self.evaluation)

    def dispatch(self, request, pk, *args, **kwargs):
        self.evaluation = get_object_or_404(Evaluation.objects.select_related("system"), pk=pk)
        return super().dispatch(request, pk, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = services.visible_results(self.request.user, self.evaluation)
        if not results.exists() and not services.can_manage(self.request.user):
            raise PermissionDenied
        context.update(
            evaluation=self.evaluation,
            results=results,
            manage=services.can_manage(self.request.user),
        )
        return context


class ResultView(ForbiddenMixin, WagtailAdminTemplateMixin, TemplateView):
    """One venue's breakdown: indicator, raw value, source, points."""

    template_name = "network/evaluation/breakdown.html"
    header_icon = "order"

    def get_page_title(self):
        return _("%(venue)s 考核得分明细") % {"venue": self.result.venue_name}

    def dispatch(self, request, pk, *args, **kwargs):
        self.result = get_object_or_404(
            VenueResult.objects.select_related("evaluation__system"), pk=pk
        )
        return super().dispatch(request, pk, *args, **kwargs)

    def get_context_data(self, **kwargs):
        if not services.can_view_result(self.request.user, self.result):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        context.update(result=self.result, lines=self.result.indicator_results.all())
        return context


class DiffView(ForbiddenMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "network/evaluation/diff.html"
    page_title = gettext_lazy("版本比较")
    header_icon = "order"

    def get_context_data(self, pk, **kwargs):
        if not services.can_manage(self.request.user):
            raise PermissionDenied
        new = get_object_or_404(Evaluation, pk=pk)
        old_pk = self.request.GET.get("against") or new.based_on_id
        old = get_object_or_404(Evaluation, pk=old_pk or 0, system=new.system)
        context = super().get_context_data(**kwargs)
        context.update(old=old, new=new, changes=compare(old, new))
        return context


class ManagerAction(ForbiddenMixin, View):
    """A POSTed action for those who manage the evaluation; errors go back as messages."""

    def post(self, request, pk):
        if not services.can_manage(request.user):
            raise PermissionDenied
        try:
            target = self.act(request, pk)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            target = self.fallback(pk)
        return redirect(target)


class ComputeView(ManagerAction):
    def act(self, request, pk):
        system = get_object_or_404(IndicatorSystem, pk=pk)
        evaluation = compute(system, request.user)
        messages.success(request, _("已计算 %(evaluation)s。") % {"evaluation": evaluation})
        return reverse("network_evaluation:evaluation", args=[evaluation.pk])

    def fallback(self, pk):
        return reverse("network_evaluation:index")


class PublishView(ManagerAction):
    def act(self, request, pk):
        evaluation = services.publish(request.user, get_object_or_404(Evaluation, pk=pk))
        messages.success(request, _("已发布 %(evaluation)s。") % {"evaluation": evaluation})
        return self.fallback(pk)

    def fallback(self, pk):
        return reverse("network_evaluation:evaluation", args=[pk])


class DelistView(ManagerAction):
    def act(self, request, pk):
        result = services.confirm_delisting(request.user, get_object_or_404(VenueResult, pk=pk))
        messages.success(request, _("%(venue)s已摘牌。") % {"venue": result.venue_name})
        return self.fallback(pk)

    def fallback(self, pk):
        result = get_object_or_404(VenueResult, pk=pk)
        return reverse("network_evaluation:evaluation", args=[result.evaluation_id])
