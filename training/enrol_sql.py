"""Enrolment's busy path in hand-written SQL: the locks, the reads the rules need and the two
writes of a new enrolment.

Why not the ORM: measured under 50 concurrent clients (bench/bench_enrolment.py), building the
ORM's queries cost more CPU than PostgreSQL spent running them, and on two cores that CPU is
the throughput. Column lists still come from the models' metadata, and the rows come back as
model instances, so the rules (training.enrolment, training.schedule) read them as before.
Every statement here is portable: SQLite drops the FOR UPDATE (its IMMEDIATE transactions
serialise writers already) and supports RETURNING."""

from collections import namedtuple
from functools import cache

from django.db import connection

from network.plan import PUBLIC_STATUSES
from resources.models import Course, CourseSession
from resources.vocab import CourseStatus, Visibility

from .models import ACTIVE, Enrolment, Offering

# A resident's active enrolment, as far as the rules need it.
Held = namedtuple("Held", "pk offering_id status waitlist_number")


def _for_update(of=None):
    if not connection.features.has_select_for_update:
        return ""
    if of and connection.features.has_select_for_update_of:
        return f" FOR UPDATE OF {of}"
    return " FOR UPDATE"


@cache
def _columns(model, alias):
    """The model's concrete fields in order, and their columns as `alias`.column."""
    fields = model._meta.concrete_fields
    quote = connection.ops.quote_name
    return [f.attname for f in fields], ", ".join(f"{alias}.{quote(f.column)}" for f in fields)


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def lock_person(resident_pk):
    """Lock the resident's row: their concurrent requests queue here."""
    _rows(f"SELECT id FROM training_resident WHERE id = %s{_for_update()}", [resident_pk])  # nosec B608: constant SQL; values are parameters


def held_by(resident_pk):
    """The resident's active enrolments."""
    placeholders = ", ".join(["%s"] * len(ACTIVE))
    sql = (
        "SELECT id, offering_id, status, waitlist_number FROM training_enrolment "  # nosec B608: constant SQL; values are parameters
        f"WHERE resident_id = %s AND status IN ({placeholders})"
    )
    return [Held(*row) for row in _rows(sql, [resident_pk, *(s.value for s in ACTIVE)])]


def lock_public_course_offering(course_id, resident_pk=None):
    """Lock and read the offering of a public course that is not a draft (the condition
    Course.objects.public().exclude(status="draft") states; tests keep the two in step), with
    its course and the course's sessions, and the active enrolments of `resident_pk` in the
    same statement (one row each; the caller holds the lock on the resident, so they are
    current). (offering or None, [Held, ...])."""
    offering_names, offering_columns = _columns(Offering, "o")
    course_names, course_columns = _columns(Course, "c")
    statuses = ", ".join(["%s"] * len(PUBLIC_STATUSES))
    active = ", ".join(["%s"] * len(ACTIVE))
    sql = (
        f"SELECT {offering_columns}, {course_columns}, "  # nosec B608: model column names; values are parameters
        "e.id, e.offering_id, e.status, e.waitlist_number FROM training_offering o "
        "JOIN resources_course c ON c.id = o.course_id "
        "JOIN network_venue v ON v.id = c.owner_id "
        f"LEFT JOIN training_enrolment e ON e.resident_id = %s AND e.status IN ({active}) "
        f"WHERE o.course_id = %s AND c.visibility = %s AND v.status IN ({statuses}) "
        f"AND c.status <> %s{_for_update(of='o')}"
    )
    params = [resident_pk, *(s.value for s in ACTIVE), course_id, Visibility.PUBLIC.value]
    params += [*(s.value for s in PUBLIC_STATUSES), CourseStatus.DRAFT.value]
    rows = _rows(sql, params)
    if not rows:
        return None, []
    row = rows[0]
    split = len(offering_names)
    course_end = split + len(course_names)
    offering = Offering.from_db(connection.alias, offering_names, row[:split])
    course = Course.from_db(connection.alias, course_names, row[split:course_end])
    Offering.course.field.set_cached_value(offering, course)
    _attach_sessions(course)
    held = [Held(*r[course_end:]) for r in rows if r[course_end] is not None]
    return offering, held


def _attach_sessions(course):
    """Read the course's sessions into its prefetch cache, where course.sessions.all() (and
    so training.schedule) finds them, as prefetch_related("course__sessions") would."""
    names, columns = _columns(CourseSession, "s")
    sql = f"SELECT {columns} FROM resources_coursesession s WHERE s.course_id = %s"  # nosec B608: model column names; values are parameters
    sessions = [
        CourseSession.from_db(connection.alias, names, row) for row in _rows(sql, [course.pk])
    ]
    course._prefetched_objects_cache = {"sessions": sessions}


# The counter an enrolment moves: a place taken, or a place in the waiting line.
COUNT_PLACE = "enrolled = enrolled + 1"
COUNT_WAITING = "waitlist_seq = waitlist_seq + 1, waiting = waiting + 1"


def insert(enrolment, counter):
    """Move the offering's `counter` (COUNT_PLACE or COUNT_WAITING) and INSERT the new
    enrolment (defaults and auto_now_add filled as save() fills them). On PostgreSQL both go
    in one statement (a data-modifying WITH), saving a round trip on the busy path."""
    fields = [f for f in Enrolment._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    values = [f.get_db_prep_save(f.pre_save(enrolment, True), connection) for f in fields]
    update = f"UPDATE training_offering SET {counter} WHERE id = %s"  # nosec B608: counter is COUNT_PLACE or COUNT_WAITING
    insert = (
        f"INSERT INTO training_enrolment ({', '.join(quote(f.column) for f in fields)}) "  # nosec B608: quoted model column names; values are parameters
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id"
    )
    if connection.vendor == "postgresql":
        rows = _rows(f"WITH counted AS ({update}) {insert}", [enrolment.offering_id, *values])
    else:
        _rows(update, [enrolment.offering_id])
        rows = _rows(insert, values)
    enrolment.pk = rows[0][0]
    enrolment._state.adding = False
    enrolment._state.db = connection.alias
