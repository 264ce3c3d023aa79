"""Admin viewsets: the indicator systems (with their indicators inline) and reviewers' scores."""

from types import SimpleNamespace

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSet

from .checks import indicator_errors
from .models import IndicatorSystem, ManualScore


class IndicatorSystemForm(WagtailAdminModelForm):
    """Also checks the indicators together: weights adding up to the total, unique codes."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("indicators")
        if formset is None or not formset.is_valid() or "total_points" not in cleaned:
            return cleaned
        indicators = [
            SimpleNamespace(**form.cleaned_data)
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for error in indicator_errors(cleaned["total_points"], indicators):
            self.add_error(None, error)
        return cleaned


class IndicatorSystemViewSet(ModelViewSet):
    model = IndicatorSystem
    icon = "list-ol"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["__str__", "reward_budget", "qualifying_line"]
    list_filter = ["year", "level"]
    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("level")]),
        MultiFieldPanel(
            [
                FieldPanel("total_points"),
                FieldRowPanel(
                    [FieldPanel("excellent_from"), FieldPanel("good_from"), FieldPanel("pass_from")]
                ),
                FieldRowPanel([FieldPanel("qualifying_line"), FieldPanel("reward_budget")]),
            ],
            heading=_("等次分数线与奖补"),
        ),
        InlinePanel("indicators", heading=_("考核指标"), label=_("指标")),
    ]

    def get_edit_handler(self):
        from wagtail.admin.panels import ObjectList

        return ObjectList(self.panels, base_form_class=IndicatorSystemForm).bind_to_model(
            self.model
        )


class ManualScoreForm(WagtailAdminModelForm):
    def save(self, commit=True):
        self.instance.entered_by = self.for_user
        return super().save(commit)


class ManualScoreViewSet(ModelViewSet):
    model = ManualScore
    icon = "edit"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["venue", "indicator", "points", "entered_by", "entered_at"]
    list_filter = ["indicator__system"]
    panels = [
        FieldPanel("indicator"),
        FieldPanel("venue"),
        FieldPanel("points"),
        FieldPanel("note"),
    ]

    def get_edit_handler(self):
        from wagtail.admin.panels import ObjectList

        return ObjectList(self.panels, base_form_class=ManualScoreForm).bind_to_model(self.model)
