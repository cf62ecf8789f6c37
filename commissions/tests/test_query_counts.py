"""A page's query count must not grow with the number of students."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attestation.tests.factories import StudentFactory
from commissions import services

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def add_students(world, n):
    sitting = services.sitting_create(
        actor=world.secretary,
        commission=world.commission,
        date=dt.date(2020, 5, 13),
        starts_at=dt.time(8),
        ends_at=dt.time(13),
    )
    services.schedule_fill(
        actor=world.secretary, sitting=sitting, students=[StudentFactory(group=world.group) for _ in range(n)]
    )


def test_commission_page_queries_do_not_grow_with_students(client, world):
    client.force_login(world.secretary)
    url = reverse("commissions:commission", args=[world.commission.pk])
    small = count_queries(client, url)
    add_students(world, 18)
    assert count_queries(client, url) == small


def test_schedule_page_queries_do_not_grow_with_slots(client, world):
    client.force_login(world.student.user)
    url = reverse("commissions:my_schedule")
    small = count_queries(client, url)
    for day in (13, 14, 15):
        sitting = services.sitting_create(
            actor=world.secretary,
            commission=world.commission,
            date=dt.date(2020, 5, day),
            starts_at=dt.time(9),
            ends_at=dt.time(10),
        )
        services.slot_create(actor=world.secretary, sitting=sitting, student=world.student)
    assert count_queries(client, url) == small


def test_department_page_queries_do_not_grow_with_students(client, world):
    client.force_login(world.head)
    url = reverse("institutions:department", args=[world.department.pk])
    small = count_queries(client, url)
    for _ in range(20):
        StudentFactory(group=world.group)
    assert count_queries(client, url) == small


def test_schedule_page_query_count_is_pinned(client, world, django_assert_max_num_queries):
    client.force_login(world.student.user)
    with django_assert_max_num_queries(8):
        client.get(reverse("commissions:my_schedule"))
