import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attestation.institutions.models import Registrar
from attestation.tests.factories import StudentFactory, UserFactory
from commissions import services as commission_services
from commissions.models import DocumentJob
from commissions.papers.portfolio import portfolio_build
from exams.yearend import services
from exams.yearend.models import Transfer
from exams.yearend.tests.conftest import id_copy, vedomost

pytestmark = pytest.mark.django_db
PAGE_QUERIES = 26  # pinned (25 today): the whole year on one page, whatever the number of students


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_year_on_one_page_shows_each_step_and_its_documents(client, world, announced, id_copies):
    paper = vedomost(world)
    transfer = services.transfer_send(
        actor=world.head, commission=world.commission, recipient="registrar", addressee="Тіркеуші-офис"
    )
    request = services.diploma_request_create(
        actor=world.head, commission=world.commission, order_number="45-Д", order_date=dt.date(2020, 6, 15)
    )
    services.accommodation_set(actor=world.head, student=world.student, extra_minutes=20, device_loan="Ноутбук")
    client.force_login(world.head)
    page = client.get(reverse("institutions:department", args=[world.department.pk])).content.decode()
    assert reverse("yearend:transfer_download", args=[transfer.pk]) in page
    assert reverse("yearend:diploma_request_file", args=[request.pk, "docx"]) in page
    assert reverse("admission:table", args=[world.programme.pk]) in page
    download = reverse("commissions:paper_download", args=[paper.pk])
    assert download in page and client.get(download).status_code == 200
    # the sitting's documents page is the commission's own (404 to the head): no link to it
    assert reverse("commissions:sitting_documents", args=[world.sitting.pk]) not in page
    assert "Ноутбук" in page and "+20" in page
    assert "Тіркеуші-офис" in page


def test_department_page_queries_do_not_grow_with_students_transfers_or_accommodations(client, world, announced, id_copies):
    client.force_login(world.head)
    url = reverse("institutions:department", args=[world.department.pk])
    vedomost(world)
    services.transfer_send(actor=world.head, commission=world.commission, recipient="registrar", addressee="x")
    services.accommodation_set(actor=world.head, student=world.student, extra_minutes=5)
    small = count_queries(client, url)
    assert small <= PAGE_QUERIES
    sitting = commission_services.sitting_create(
        actor=world.secretary,
        commission=world.commission,
        date=dt.date(2020, 5, 13),
        starts_at=dt.time(8),
        ends_at=dt.time(13),
    )
    more = [StudentFactory(group=world.group) for _ in range(20)]
    commission_services.schedule_fill(actor=world.secretary, sitting=sitting, students=more)
    for student in more[:5]:
        services.accommodation_set(actor=world.head, student=student, extra_percent=10)
        id_copy(student)
    services.transfer_send(actor=world.head, commission=world.commission, recipient="registrar", addressee="y")
    assert Transfer.objects.count() == 2
    assert count_queries(client, url) == small


def test_the_registrar_office_reads_and_downloads_but_gets_no_forms(client, world, announced, id_copies):
    vedomost(world)
    transfer = services.transfer_send(actor=world.head, commission=world.commission, recipient="registrar", addressee="x")
    registrar = UserFactory(username="registrar")
    Registrar.objects.create(institution=world.institution, user=registrar)
    client.force_login(registrar)
    page = client.get(reverse("institutions:department", args=[world.department.pk])).content.decode()
    assert reverse("yearend:transfer_download", args=[transfer.pk]) in page
    assert reverse("yearend:transfer_send", args=[world.commission.pk]) not in page
    assert reverse("yearend:accommodation_set", args=[world.department.pk]) not in page


def test_the_portfolio_built_shows_done_with_its_download(client, world, announced, id_copies):
    services.diploma_request_create(
        actor=world.head, commission=world.commission, order_number="45-Д", order_date=dt.date(2020, 6, 15)
    )
    job = DocumentJob.objects.create(
        kind=DocumentJob.Kind.PORTFOLIO,
        commission=world.commission,
        requested_by=world.secretary,
        created_at=dt.datetime(2020, 6, 16, tzinfo=dt.UTC),
    )
    portfolio_build(job)
    client.force_login(world.head)
    page = client.get(reverse("institutions:department", args=[world.department.pk])).content.decode()
    assert reverse("commissions:job_output", args=[job.pk]) in page
