"""The admin screens' shape that borrowing (借用) and ordering (点单配送) share: a request from
one venue to another, seen from two boxes (sent and received), placed through a form for one of
the user's own venues, and moved on by POSTed actions that the app's service decides on."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.admin_views import ForbiddenMixin


class RequestScreens:
    """What a subclass names: `boxes` maps a box to (its title, the request's venue field on
    that side); `namespace` is the app's URL namespace."""

    boxes = {}
    namespace = ""

    def box_crumbs(self, box, label):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{self.namespace}:{box}"), "label": self.boxes[box][0]},
            {"url": "", "label": label},
        ]


class RequestListView(ForbiddenMixin, RequestScreens, WagtailAdminTemplateMixin, TemplateView):
    """One box, filtered by ?status= when it names one of `statuses`."""

    box = ""
    statuses = None  # a TextChoices class
    context_object_name = "requests"  # what the template calls the list

    def get_page_title(self):
        return self.boxes[self.box][0]

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def requests_in_box(self, side):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requests = self.requests_in_box(self.boxes[self.box][1])
        status = self.request.GET.get("status", "")
        if status in self.statuses.values:
            requests = requests.filter(status=status)
        context.update(
            {self.context_object_name: requests},
            box=self.box,
            status=status,
            statuses=self.statuses.choices,
        )
        return context


class RequestCreateView(ForbiddenMixin, RequestScreens, WagtailAdminTemplateMixin, FormView):
    """The form's `venue_field` names the requesting venue, which must be one of the user's."""

    venue_field = ""
    header_icon = "plus"
    success_message = ""

    def venues_of(self, user):
        raise NotImplementedError

    def submit(self, form, venue):
        """Place the request; ValidationError's messages go on the form."""
        raise NotImplementedError

    def get_breadcrumbs_items(self):
        return self.box_crumbs("outgoing", self.page_title)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def post(self, request, *args, **kwargs):
        # A requesting venue the user does not work for is a crafted request: refuse outright.
        venue = request.POST.get(self.venue_field, "")
        if venue.isdigit() and not self.venues_of(request.user).filter(pk=venue).exists():
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        venue = self.venues_of(self.request.user).get(pk=form.cleaned_data[self.venue_field])
        try:
            placed = self.submit(form, venue)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(f"{self.namespace}:detail", placed.pk)


class RequestDetailView(ForbiddenMixin, RequestScreens, WagtailAdminTemplateMixin, TemplateView):
    """A request's page; `may_view` and `is_requester` come from the app's service."""

    queryset = None
    context_object_name = "request_object"  # what the template calls it

    def may_view(self, user, obj):
        raise NotImplementedError

    def is_requester(self, user, obj):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.queryset, pk=kwargs["pk"])
        if not self.may_view(request.user, self.object):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object.item)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.context_object_name: self.object, **kwargs})

    def get_breadcrumbs_items(self):
        box = "outgoing" if self.is_requester(self.request.user, self.object) else "incoming"
        return self.box_crumbs(box, str(self.object.item))


class RequestActionView(ForbiddenMixin, View):
    """POST only: apply one action; the service decides whether this user may. Its refusal is
    shown as an error message on the request's page, and nothing changes."""

    http_method_names = ["post"]
    model = None
    namespace = ""
    action_labels = {}

    def apply(self, request, obj, action):
        raise NotImplementedError

    def post(self, request, pk, action):
        obj = get_object_or_404(self.model, pk=pk)
        try:
            self.apply(request, obj, action)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            label = self.action_labels[action]
            messages.success(request, _("已%(action)s。") % {"action": label})
        return redirect(f"{self.namespace}:detail", pk)
