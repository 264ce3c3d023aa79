"""Forms of admission (入网申请): the application, and one form per step for the reviewers."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .admission import Application, InspectionConclusion
from .models import Venue
from .plan import Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
APPLICATION_FIELDS = [
    "organisation",
    "level",
    "operator_type",
    "place_name",
    "district",
    "township",
    "address",
    "latitude",
    "longitude",
    "floor_area",
    "has_functional_rooms",
    "has_training_room",
    "staff_count",
    "contact_name",
    "contact_phone",
    "description",
]
# What an applicant may correct when sent back; the rest decides who reviews.
RESUBMIT_FIELDS = [f for f in APPLICATION_FIELDS if f not in ("level", "operator_type", "district")]


def district_choices():
    districts = Venue.objects.filter(level=Level.MAIN).order_by("district")
    return [("", "---------")] + [(d, d) for d in districts.values_list("district", flat=True)]


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = APPLICATION_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "floor_area": {"required": _("请填写面积。"), "invalid": _("面积须为数字。")},
            "township": {"max_length": _("乡镇/街道名称过长。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "district" in self.fields:
            self.fields["district"] = forms.ChoiceField(label=_("区县"), choices=district_choices())
        self.fields["floor_area"].min_value = None  # the model's validator says it in Chinese


class ResubmitForm(ApplicationForm):
    class Meta(ApplicationForm.Meta):
        fields = RESUBMIT_FIELDS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.ImageField):
    """Several photos in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleImageField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


RESULT_CHOICES = [("1", _("符合")), ("0", _("不符合"))]


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label=_("考察日期"), widget=DATE, initial=timezone.localdate)
    inspectors = forms.CharField(label=_("考察人员"), max_length=200)
    conclusion = forms.ChoiceField(label=_("考察结论"), choices=InspectionConclusion.choices)
    notes = forms.CharField(
        label=_("考察意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = MultipleImageField(label=_("现场照片"), required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for index, item in enumerate(self.items):
            self.fields[f"item_{index}"] = forms.ChoiceField(
                label=item, choices=RESULT_CHOICES, widget=forms.RadioSelect
            )

    def results(self):
        return {item: self.cleaned_data[f"item_{i}"] == "1" for i, item in enumerate(self.items)}


class AgreementForm(forms.Form):
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE, initial=timezone.localdate)
    generate = forms.BooleanField(label=_("按模板生成协议 PDF"), required=False)
    document = forms.FileField(label=_("上传已签订的协议（PDF）"), required=False)


class TrainingForm(forms.Form):
    trained_staff = forms.CharField(label=_("参训人员"), max_length=200)
    trained_on = forms.DateField(label=_("培训日期"), widget=DATE, initial=timezone.localdate)
    trained_by = forms.CharField(label=_("培训单位/讲师"), max_length=120)


class PlaqueForm(forms.Form):
    plaqued_on = forms.DateField(label=_("挂牌日期"), widget=DATE, initial=timezone.localdate)
    code = forms.CharField(
        label=_("场馆代码"), max_length=50, required=False, help_text=_("留空则按地名拼音生成。")
    )


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}))


STEP_FORMS = {
    "inspection": InspectionForm,
    "agreement": AgreementForm,
    "training": TrainingForm,
    "plaque": PlaqueForm,
}
