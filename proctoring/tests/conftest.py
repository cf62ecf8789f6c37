from exams.tests.conftest import english, tickets, written  # noqa: F401 - shared fixtures
