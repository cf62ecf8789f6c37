"""Computer-based testing (R26, R30): the sitting's test results page is seen by whoever watches the sitting;
recording a score there is the secretary's (exams/tests/test_testing.py posts it as the chair and gets 403)."""

from attestation.tests.matrix_base import SITTING_WATCHERS, Entry, _sitting

ENTRIES = {
    "exams:testing": Entry("get", _sitting, SITTING_WATCHERS),
}
