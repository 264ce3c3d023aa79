"""What the hub sets at run time (设置 → 志愿服务设置): the hours of each star level."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from ..rules import DEFAULT_STAR_HOURS, STAR_LABELS


def _threshold(level, label):
    return models.PositiveIntegerField(
        label,
        default=DEFAULT_STAR_HOURS[level],
        validators=[MinValueValidator(1)],
    )


@register_setting(icon="pick")
class VolunteerSettings(BaseGenericSetting):
    one_star_hours = _threshold(1, gettext_lazy("一星志愿者（小时）"))
    two_star_hours = _threshold(2, gettext_lazy("二星志愿者（小时）"))
    three_star_hours = _threshold(3, gettext_lazy("三星志愿者（小时）"))
    four_star_hours = _threshold(4, gettext_lazy("四星志愿者（小时）"))
    five_star_hours = _threshold(5, gettext_lazy("五星志愿者（小时）"))

    FIELDS = (
        "one_star_hours",
        "two_star_hours",
        "three_star_hours",
        "four_star_hours",
        "five_star_hours",
    )

    class Meta:
        verbose_name = gettext_lazy("志愿服务设置")

    def thresholds(self):
        """{level: hours} from one star to five."""
        return {level: getattr(self, name) for level, name in enumerate(self.FIELDS, start=1)}

    def clean(self):
        super().clean()
        hours = [getattr(self, name) for name in self.FIELDS]
        if any(value is None for value in hours):
            return
        for level in range(1, len(hours)):
            if hours[level] <= hours[level - 1]:
                raise ValidationError(
                    {
                        self.FIELDS[level]: _(
                            "%(higher)s的时长必须多于%(lower)s（%(hours)s 小时）。"
                        )
                        % {
                            "higher": STAR_LABELS[level + 1],
                            "lower": STAR_LABELS[level],
                            "hours": hours[level - 1],
                        }
                    }
                )
