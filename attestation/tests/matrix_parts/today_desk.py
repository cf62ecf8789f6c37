"""The secretary's desk for today (issue 20) and its poll: the sitting's secretary and its chair
(exams.permissions.can_follow_day); everyone else, members and proctors included, gets 404."""

from attestation.tests.matrix_base import DECIDERS, Entry, _sitting

ENTRIES = {
    "exams:today_sitting": Entry("get", _sitting, DECIDERS),
    "exams:today_live": Entry("get", _sitting, DECIDERS),
}
