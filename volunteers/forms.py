"""Forms of the public pages and of the admin's own views. Every rule lives in the services;
these only read and label the input (datetimes are entered in Shanghai time)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Grid, Team, Volunteer
from .rules import AVAILABILITY, SKILLS

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def datetime_field(label):
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ApplicationForm(forms.ModelForm):
    grid = forms.ModelChoiceField(
        label=_("所属网格"),
        queryset=Grid.objects.select_related("venue").order_by("venue__district", "name"),
        help_text=_("选择您居住或希望服务的社区、村或街区，由负责该网格的场馆审核。"),
        empty_label=_("请选择网格"),
    )
    skills = forms.MultipleChoiceField(
        label=_("特长"), choices=SKILLS, widget=forms.CheckboxSelectMultiple, required=False
    )
    availability = forms.MultipleChoiceField(
        label=_("可服务时间"),
        choices=AVAILABILITY,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Volunteer
        fields = [
            "grid",
            "skills",
            "skills_note",
            "availability",
            "preferred_area",
            "introduction",
            "showcase_consent",
        ]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("skills") and not cleaned.get("skills_note"):
            self.add_error("skills", _("请至少选择一项特长，或在“其他特长”中填写。"))
        if not cleaned.get("availability"):
            self.add_error("availability", _("请至少选择一个可服务时间。"))
        return cleaned

    def details(self):
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields if name != "grid"}


class TimesForm(forms.Form):
    started_at = datetime_field(_("开始（签到）时间"))
    ended_at = datetime_field(_("结束（签退）时间"))


class SelfReportForm(TimesForm):
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class CorrectionForm(TimesForm):
    reason = forms.CharField(label=_("更正原因"), max_length=200)


class StaffTimesForm(TimesForm):
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class ApproveForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("加入团队"), queryset=Team.objects.none(), required=False, empty_label=_("暂不分配")
    )

    def __init__(self, *args, venue_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(venue_id=venue_id)


class ReassignForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("所属网格"), queryset=Grid.objects.none())
    team = forms.ModelChoiceField(
        label=_("团队"), queryset=Team.objects.none(), required=False, empty_label=_("无")
    )

    def __init__(self, *args, grids, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.fields["team"].queryset = teams


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return cleaned


class ExportForm(PeriodForm):
    kind = forms.ChoiceField(
        label=_("导出内容"),
        choices=[
            ("volunteer", _("服务时长：按志愿者")),
            ("team", _("服务时长：按团队")),
            ("venue", _("服务时长：按场馆")),
            ("grid", _("服务时长：按网格")),
            ("records", _("服务记录（全国志愿服务信息系统字段）")),
        ],
    )
