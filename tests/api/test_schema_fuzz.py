"""schemathesis against the API's own OpenAPI schema, in-process (WSGI), with every check on:
no server error, no status code the schema does not list, no response that breaks the schema,
no header or content type that differs from it, and the negative and positive data checks.

It runs as a learner coach with a mandate (token), as a partnership's case handler (token) and
anonymously, against the demo data. A rule of the domain (an application that is not complete
yet, a mentor over the cap) refuses valid-looking data with 400 or 409: those are documented
answers, so they count as accepted for the positive-data check."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from werkplek.wsgi import application as wsgi_application

CONFIG = SchemathesisConfig.from_dict({
    "checks": {
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "304", "400", "401", "403", "404", "409"],
        },
    },
})

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_application,
                                        config=CONFIG)


@pytest.fixture(autouse=True)
def connection_kept_open():
    """The WSGI handler closes the database connection when a request ends (Django's
    `close_old_connections`); inside a test's transaction that would end the test's connection
    (on PostgreSQL). Django's own test client disconnects it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["coach", "handler", "anonymous"])
def credentials(request):
    if request.param == "anonymous":
        return {}
    secret = request.getfixturevalue(f"{request.param}_token")
    if request.param == "coach":
        request.getfixturevalue("mandate")
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema(case, credentials):
    case.call_and_validate(headers={**credentials, "Host": "127.0.0.1"})
