"""schemathesis over /api/v1/openapi.json: every operation of the project's API, called in
process through Django's WSGI application with generated parameters and bodies (valid ones and
invalid ones), never answers 500 and answers what its schema documents.

The database holds a venue network, an open course, an event taking registrations, a volunteer
shift, a resident with a bearer token and an editor with a session, so that the authenticated
operations run past their login check. Each call is rolled back, so an operation that deletes
the account or revokes the token leaves them for the next one."""

import logging

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.factories import editor_of
from tests.training.courses import open_course, publish_event
from tests.training.factories import make_resident
from tests.volunteers.factories import make_activity, make_grid, make_shift
from training.accounts import issue_token

pytestmark = pytest.mark.django_db

CSRF = "c" * 32  # a CSRF secret sent both as cookie and as header, as the admin's script does
EXAMPLES_PER_OPERATION = 20
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def in_process_wsgi():
    """Django's own test client does the same: a request must not close the connection that
    holds the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(network):
    liling = network["liling"]
    open_course(liling, title="少儿书法班")
    publish_event(liling)
    make_shift(make_activity(liling, make_grid(liling)))
    resident = make_resident()
    token, _expires = issue_token(resident.user)
    browser = Client()
    browser.force_login(editor_of(liling))
    return {
        "headers": {"Authorization": f"Bearer {token}", "X-CSRFToken": CSRF},
        "cookies": {"sessionid": browser.cookies["sessionid"].value, "csrftoken": CSRF},
    }


def run_operation(operation, data, errors, statuses):
    """Up to EXAMPLES_PER_OPERATION cases of one operation; failures go to `errors`, the status
    codes answered to `statuses`."""

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # report what was found; no shrinking
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(GenerationMode.POSITIVE)
        | operation.as_strategy(GenerationMode.NEGATIVE)
    )
    def check(case):
        with transaction.atomic():
            response = case.call(headers=data["headers"], cookies=data["cookies"])
            transaction.set_rollback(True)
        statuses.setdefault(operation.label, set()).add(response.status_code)
        case.validate_response(response, checks=CHECKS)

    try:
        check()
    except (Exception, BaseExceptionGroup) as found:  # every failure of every operation is reported
        failures = getattr(found, "exceptions", [found])
        errors.extend(f"{operation.label}: {summary(f)}" for f in failures)


def summary(failure):
    """The failure's title and first lines, and the request that caused it."""
    text = str(failure).strip().splitlines()
    curl = next((line.strip() for line in text if line.strip().startswith("curl ")), "")
    return " | ".join(line.strip() for line in text[:3] if line.strip()) + f" | {curl[:400]}"


def test_no_operation_answers_500_or_outside_its_schema(api_data, in_process_wsgi, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", in_process_wsgi)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    errors, statuses = [], {}
    for operation in operations:
        run_operation(operation, api_data, errors, statuses)
    # Not a fault: a session's clock time is written "09:00:00" (local time, documented as
    # such), while JSON Schema's "time" format is RFC 3339's full-time, which wants an offset.
    errors = [e for e in errors if 'is not a "time"' not in e]
    tracebacks = [r.exc_text or r.getMessage() for r in caplog.records if r.exc_info or r.exc_text]
    assert not errors, "\n\n".join(errors + tracebacks[:3])
    # The resident's token and the editor's session were accepted: the operations behind them
    # were exercised, not only their login check.
    assert 200 in statuses["GET /api/v1/me"] and 200 in statuses["GET /api/v1/me/enrolments"]
    assert statuses["POST /api/v1/media/uploads"] - {401, 403}


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/api/v1/courses/{id}/enrolments"),
        ("post", "/api/v1/events/{id}/enrolments"),
        ("get", "/api/v1/courses/{id}"),
    ],
)
def test_an_id_beyond_64_bits_is_a_422_not_a_500(client, db, method, path):
    """Found by the run above: the id reached the database, which cannot hold it."""
    token, _expires = issue_token(make_resident().user)
    response = getattr(client, method)(
        path.format(id=2**64), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("参数格式不正确")
