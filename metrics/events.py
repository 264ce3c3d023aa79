"""The usage events the platform records: one registry, so recording, aggregation and the
dashboards agree on the codes. `value` is summed by the aggregates; what it holds per type is
said by value_label (empty: the event carries no quantity)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EventType:
    code: str
    label: str
    value_label: str = ""


PAGE_VIEW = "page_view"
SEARCH = "search"
ASSET_PLAY = "asset_play"
ASSET_DOWNLOAD = "asset_download"
ENROLMENT = "enrolment"
ATTENDANCE = "attendance"
ORDER_DELIVERED = "order_delivered"
LOAN = "loan"
VOLUNTEER_HOURS = "volunteer_hours"
RATING = "rating"
OPENING_CHECKIN = "opening_checkin"

EVENT_TYPES = {
    event.code: event
    for event in (
        EventType(PAGE_VIEW, _("页面浏览")),
        EventType(SEARCH, _("搜索"), _("结果数")),
        EventType(ASSET_PLAY, _("资源播放")),
        EventType(ASSET_DOWNLOAD, _("资源下载")),
        EventType(ENROLMENT, _("培训报名")),
        EventType(ATTENDANCE, _("培训出勤")),
        EventType(ORDER_DELIVERED, _("点单配送"), _("实到人数")),
        EventType(LOAN, _("资源出借")),
        EventType(VOLUNTEER_HOURS, _("志愿服务"), _("服务时长（小时）")),
        EventType(RATING, _("群众评价"), _("评分")),
        EventType(OPENING_CHECKIN, _("开放打卡")),
    )
}


def event_type_choices():
    """Model field choices, as a callable so a new type needs no migration."""
    return [(event.code, event.label) for event in EVENT_TYPES.values()]
