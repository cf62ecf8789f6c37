"""Schemathesis over the OpenAPI description: no operation answers 500, every error is JSON with a message, and
every answer matches the description. Each operation gets its own Hypothesis run over schemathesis's strategy."""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.django_db
EXAMPLES = 15


@pytest.fixture
def api_schema(db):
    # As Django's test client does: the WSGI handler must not close the test's connection after each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _check(case, secret: str) -> None:
    cache.clear()  # the rate limit is not under test here
    response = case.call(headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:500]}"
    if response.status_code >= 400:
        assert response.json()["message"], response.text
    case.validate_response(response, checks=[schemathesis.checks.response_schema_conformance])


def test_no_operation_answers_500_and_every_error_has_a_message(api_schema, world, secret):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def fuzz(case):
            _check(case, secret)

        fuzz()
