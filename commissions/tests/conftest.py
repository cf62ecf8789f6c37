"""Fixtures for grades, votes and documents: a second member, slots, and tmp media."""

import copy

import pytest
from django.utils import translation

from attestation.celery import app
from attestation.institutions.models import Policy
from attestation.tests.factories import UserFactory, examined
from commissions import services
from commissions.attendance import attendance_record
from commissions.grading import services as grading
from commissions.models import Membership, Slot
from commissions.tests.ncalayer_standin import NCALayerStandIn


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def slot(world):
    return Slot.objects.select_related("sitting__commission", "student").get(sitting=world.sitting, student=world.student)


@pytest.fixture
def other_slot(world):
    return Slot.objects.get(sitting=world.sitting, student=world.other_student)


@pytest.fixture
def member2(world):
    user = UserFactory(username="member2", last_name="Нұрланов", first_name="Ерлан")
    services.membership_add(actor=world.chair, commission=world.commission, user=user, role=Membership.Role.MEMBER)
    return user


def set_policy(world, **changes):
    Policy.objects.filter(institution=world.institution, academic_year=world.commission.academic_year).update(**changes)


def everyone_present(world):
    """The secretary records every member present and the students are examined: grading needs both (R33)."""
    examined(world.sitting)
    attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=world.commission.memberships.values_list("pk", flat=True)
    )


@pytest.fixture
def present(world):
    everyone_present(world)
    return world


@pytest.fixture
def eager_celery():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture
def announced(world, slot, other_slot):
    """Both students graded by the chair and the member, results announced."""
    everyone_present(world)
    for target, chair_points, member_points in ((slot, "96", "92"), (other_slot, "71", "68")):
        grading.grade_submit(actor=world.chair, slot=target, points=chair_points)
        grading.grade_submit(actor=world.member, slot=target, points=member_points)
    grading.results_announce(actor=world.chair, sitting=world.sitting)
    return world


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are asserted in English; the catalogues translate them to Kazakh and Russian."""
    with translation.override("en"):
        yield


@pytest.fixture
def ncalayer(settings):
    """The NCALayer stand-in on a free port; the portal's pages point the production client (ncalayer.js) at it."""

    with NCALayerStandIn() as standin:
        settings.NCALAYER_URL = standin.url
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["connect-src"] = ["'self'", standin.url]
        settings.CONTENT_SECURITY_POLICY = policy
        yield standin
