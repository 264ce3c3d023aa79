"""What training tells the usage metrics (metrics.events): enrolments, attendance and ratings,
counted for the venue running the course or event once the transaction commits."""

from metrics.events import ATTENDANCE, ENROLMENT, RATING
from metrics.services import record


def offering_key(offering):
    """The course or event an event is about, as the metrics' object key."""
    if offering.course_id:
        return f"course:{offering.course_id}"
    return f"event:{offering.event_id}"


def enrolled(enrolment):
    """A place taken (a new enrolment, or a waiting one promoted)."""
    offering = enrolment.offering
    record(ENROLMENT, venue=offering.venue_id, object_key=offering_key(offering), on_commit=True)


def attended(enrolment):
    """A person newly marked present at a session (or an event)."""
    offering = enrolment.offering
    record(ATTENDANCE, venue=offering.venue_id, object_key=offering_key(offering), on_commit=True)


def rated(rating):
    offering = rating.enrolment.offering
    record(
        RATING,
        venue=offering.venue_id,
        object_key=offering_key(offering),
        value=rating.stars,
        on_commit=True,
    )
