"""Issue 20: the audit trail of a commission and of a student, read in the portal by those allowed (404 for
others), in words, without a secret ballot's content; /admin/ edits land in it; old events are given subjects."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attestation.core.audit import audit_record, subjects_backfill
from attestation.core.models import AuditEvent, AuditSubject
from attestation.institutions.models import InstitutionAdmin, Registrar
from attestation.tests.factories import UserFactory
from attestation.tests.page_language import kazakh_page_problems, visible_text
from attestation.tests.test_kazakh_first import english_on
from commissions import services as commission_services
from commissions.grading import services as grading
from commissions.grading import votes
from commissions.grading.ballot_member import members_take_part
from commissions.models import EncryptedBallot, Slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    admin, registrar = UserFactory(username="trail-admin"), UserFactory(username="trail-registrar")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    Registrar.objects.create(institution=world.institution, user=registrar)
    return {"admin": admin, "registrar": registrar}


def _client(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _subjects(event: AuditEvent) -> set[tuple[str, str]]:
    return {(s.content_type.model, s.object_id) for s in event.subjects.select_related("content_type")}


def _lines(html: str) -> str:
    """The trail's lines only (not the filter's list of kinds)."""
    return visible_text(html.split('data-test="trail"', 1)[1].split("</ol>", 1)[0])


def _graded(world, slot):
    grading.grade_submit(actor=world.chair, slot=slot, points=87)
    grading.grade_submit(actor=world.member, slot=slot, points=91)


# ------------------------------------------------------------------ subjects recorded when an event is written


def test_an_event_about_a_grade_names_its_commission_and_its_student(world, slot, present):
    grading.grade_submit(actor=world.chair, slot=slot, points=87)
    event = AuditEvent.objects.get(verb="grade.submit")
    assert _subjects(event) == {("commission", str(world.commission.pk)), ("student", str(world.student.pk))}


def test_announcing_a_sitting_names_every_announced_student(world, slot, other_slot, present):
    for s in (slot, other_slot):
        grading.grade_submit(actor=world.chair, slot=s, points=80)
        grading.grade_submit(actor=world.member, slot=s, points=80)
        grading.result_decide(actor=world.chair, slot=s)
    grading.results_announce(actor=world.chair, sitting=world.sitting)
    event = AuditEvent.objects.get(verb="results.announce")
    assert _subjects(event) == {
        ("commission", str(world.commission.pk)),
        ("student", str(world.student.pk)),
        ("student", str(world.other_student.pk)),
    }


def test_subjects_are_read_from_rows_already_loaded_without_a_query(world, slot, django_assert_num_queries):
    loaded = Slot.objects.select_related("sitting").get(pk=slot.pk)
    with django_assert_num_queries(2):  # the event and its subjects; the slot's commission is read from memory
        audit_record(actor=world.chair, verb="slot.touch", obj=loaded)


def test_old_events_get_their_subjects_from_the_backfill(world, slot):
    audit_record(actor=world.chair, verb="slot.old", obj=slot)
    audit_record(actor=world.chair, verb="sitting.old", obj=world.sitting)
    gone = audit_record(actor=world.chair, verb="slot.gone", obj=Slot(pk=987654))
    AuditSubject.objects.all().delete()
    assert subjects_backfill(apps) > 0
    assert _subjects(AuditEvent.objects.get(verb="slot.old")) == {
        ("commission", str(world.commission.pk)),
        ("student", str(world.student.pk)),
    }
    assert _subjects(AuditEvent.objects.get(verb="sitting.old")) == {("commission", str(world.commission.pk))}
    assert _subjects(gone) == set()  # the row is gone: nothing to derive
    again = AuditSubject.objects.count()
    subjects_backfill(apps)
    assert AuditSubject.objects.count() == again  # safe to run twice


# ------------------------------------------------------------------ who reads which trail


def test_the_commission_trail_is_read_by_its_chair_secretary_department_head_and_administrator(world, slot, present, staff):
    _graded(world, slot)
    url = reverse("commissions:commission_trail", args=[world.commission.pk])
    for user in (world.chair, world.secretary, world.head, staff["admin"]):
        response = _client(user).get(url)
        assert response.status_code == 200, user
        text = visible_text(response.content.decode())
        assert "Gave a grade" in text and "Recorded which members are present" in text
        assert world.student.full_name in text
    for user in (world.member, staff["registrar"], world.student.user, world.outsider):
        assert _client(user).get(url).status_code == 404, user


def test_the_commission_page_links_to_the_trail_only_for_those_who_read_it(world):
    url = reverse("commissions:commission", args=[world.commission.pk])
    trail = reverse("commissions:commission_trail", args=[world.commission.pk])
    assert trail in _client(world.chair).get(url).content.decode()
    assert trail not in _client(world.member).get(url).content.decode()


def test_the_student_trail_is_read_by_staff_of_the_students_commissions_the_registrar_and_the_student(
    world, slot, present, staff
):
    _graded(world, slot)
    url = reverse("commissions:student_trail", args=[world.student.pk])
    for user in (world.chair, world.secretary, world.head, staff["admin"], staff["registrar"], world.student.user):
        assert _client(user).get(url).status_code == 200, user
    for user in (world.member, world.other_student.user, world.outsider):
        assert _client(user).get(url).status_code == 404, user
    assert _client(world.chair).get(reverse("commissions:student_trail", args=[999999])).status_code == 404


def test_a_chair_reads_only_what_concerns_their_commissions_in_a_students_trail(world, slot, staff):
    elsewhere = commission_services.commission_create(
        actor=staff["admin"],
        institution=world.institution,
        programmes=[world.programme],
        academic_year=2019,
        form="complex_exam",
        name_kk="Басқа",
        name_ru="Другая",
        order_number="1",
        order_date=dt.date(2020, 4, 1),
        period_start=dt.date(2020, 5, 12),
        period_end=dt.date(2020, 6, 30),
    )
    audit_record(actor=staff["admin"], verb="slot.create", obj=world.student, about=[elsewhere])
    url = reverse("commissions:student_trail", args=[world.student.pk])
    lines = lambda user: visible_text(_client(user).get(url).content.decode()).count("Scheduled the student's attestation")  # noqa: E731
    assert lines(staff["admin"]) == 2  # the world's slot and the one of the other commission
    assert lines(world.chair) == 1


def test_the_student_reads_their_own_trail_without_the_members_grades(world, slot, present):
    _graded(world, slot)
    grading.result_decide(actor=world.chair, slot=slot)
    text = visible_text(
        _client(world.student.user).get(reverse("commissions:student_trail", args=[world.student.pk])).content.decode()
    )
    assert "The commission decided the result" in text
    assert "Gave a grade" not in text and "87" not in text and "91" not in text
    assert "Recorded which members are present" not in text  # staff's steps are not the student's trail


def test_the_slot_page_links_to_the_students_trail(world, slot):
    trail = reverse("commissions:student_trail", args=[world.student.pk])
    page = reverse("commissions:slot", args=[slot.pk])
    assert trail in _client(world.student.user).get(page).content.decode()
    assert trail in _client(world.chair).get(page).content.decode()


# ------------------------------------------------------------------ secret ballots never leak


def test_a_secret_vote_shows_neither_who_voted_how_nor_any_ballot(world, slot, present, staff):
    vote_round = votes.vote_open(actor=world.chair, slot=slot)
    assert vote_round.mode == "secret"
    vote_round, _keys = members_take_part(
        vote_round=vote_round, choices={world.chair: "for", world.member: "against"}, closer=world.secretary
    )
    ballots = [part for row in EncryptedBallot.objects.filter(round=vote_round) for part in (row.a, row.b)]
    assert ballots
    # Even an event that carried a choice or a ballot would not show it.
    audit_record(
        actor=world.member, verb="vote.secret_took_part", obj=vote_round, after={"choice": "NAY-1", "b": ballots[0]}
    )
    for user, url in [
        (world.chair, reverse("commissions:commission_trail", args=[world.commission.pk])),
        (staff["admin"], reverse("commissions:student_trail", args=[world.student.pk])),
    ]:
        html = _client(user).get(url + "?kind=votes").content.decode()
        text = visible_text(html)
        assert "Took part in the secret vote" in text and "Closed the vote" in text
        assert "NAY-1" not in html and not any(part in html for part in ballots)
        assert re.search(r"for: 1 .*against: 1", text), text  # the count, which the protocol prints
    student_html = _client(world.student.user).get(reverse("commissions:student_trail", args=[world.student.pk]))
    lines = _lines(student_html.content.decode())
    assert "The commission decided" not in lines  # no result yet: nothing of the vote at all
    assert "vote" not in lines.lower() and "Scheduled the student's attestation" in lines


# ------------------------------------------------------------------ /admin/ edits land in the trail


def test_an_admin_edit_appears_in_the_commissions_trail(world, staff):
    superuser = UserFactory(username="root-trail", is_staff=True, is_superuser=True)
    outsiders = [UserFactory(username=f"appeal-{i}") for i in range(3)]
    root = _client(superuser)
    response = root.post(
        reverse("admin:appeals_appealcommission_add"),
        {
            "institution": world.institution.pk,
            "academic_year": 2019,
            "name_kk": "Апелляциялық комиссия",
            "name_ru": "Апелляционная комиссия",
            "name_en": "",
            "order_number": "A-20",
            "order_date": "2020-04-02",
            "commissions": [world.commission.pk],
            "members-TOTAL_FORMS": 3,
            "members-INITIAL_FORMS": 0,
            "members-MIN_NUM_FORMS": 0,
            "members-MAX_NUM_FORMS": 1000,
            **{f"members-{i}-user": u.pk for i, u in enumerate(outsiders)},
            **{f"members-{i}-role": "chair" if i == 0 else "member" for i in range(3)},
        },
    )
    assert response.status_code == 302, visible_text(response.content.decode())[:3000]
    text = visible_text(
        _client(world.chair).get(reverse("commissions:commission_trail", args=[world.commission.pk])).content.decode()
    )
    assert "Formed the appeal commission" in text
    assert f"{superuser.display_name} · system administrator" in text


def test_admin_changing_an_accounts_groups_is_audited(world):
    superuser = UserFactory(username="root-groups", is_staff=True, is_superuser=True)
    group = apps.get_model("auth", "Group").objects.create(name="auditors")
    response = _client(superuser).get(reverse("admin:accounts_user_change", args=[world.chair.pk]))
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("password", "groups", "user_permissions")}
    data.update(
        {
            "date_joined_0": "2020-01-01",
            "date_joined_1": "00:00:00",
            "groups": [group.pk],
            "last_login_0": "",
            "last_login_1": "",
        }
    )
    response = _client(superuser).post(reverse("admin:accounts_user_change", args=[world.chair.pk]), data)
    assert response.status_code == 302, visible_text(response.content.decode())[:2000]
    event = AuditEvent.objects.get(verb="user.access", object_id=str(world.chair.pk))
    assert event.actor == superuser and event.before["groups"] == [] and event.after["groups"] == ["auditors"]


# ------------------------------------------------------------------ the page: words, filter, pages, queries


def test_the_trail_says_what_changed_in_words_and_in_the_institutions_time(world, slot, present):
    _graded(world, slot)
    grade = world.commission.memberships.get(user=world.member).grades.get()
    grading.grade_correct(actor=world.chair, grade=grade, points=70, reason="арифметикалық қате")
    text = visible_text(
        _client(world.chair).get(reverse("commissions:commission_trail", args=[world.commission.pk])).content.decode()
    )
    assert "Corrected a member's grade" in text
    assert re.search(r"91[.,]00 → 70", text), text


def test_an_unknown_verb_reads_as_a_generic_line_in_kazakh_without_english(world, slot, present):
    audit_record(actor=world.chair, verb="something.new", obj=slot, after={"secret_code": "R12", "points": "5"})
    _graded(world, slot)
    response = _client(world.chair, "kk").get(reverse("commissions:commission_trail", args=[world.commission.pk]))
    text = visible_text(response.content.decode())
    assert "Өзгеріс енгізді" in text  # the generic line, in Kazakh
    assert "Made a change" not in text and "something" not in text and "R12" not in text
    assert english_on(text) == []
    assert kazakh_page_problems(response.content.decode()) == []  # no English word, rule code or Russian sentence
    own = _client(world.student.user, "kk").get(reverse("commissions:student_trail", args=[world.student.pk]))
    assert "Әрекеттер журналы" in own.content.decode() and kazakh_page_problems(own.content.decode()) == []
    assert not re.search(r"\b(Gave|grade|points|Audit|trail|chair|member)\b", text), text


def test_the_trail_shows_each_moment_in_the_institutions_time_zone(world, slot, present):
    world.institution.time_zone = "Asia/Aqtobe"
    world.institution.save(update_fields=["time_zone"])
    _graded(world, slot)
    AuditEvent.objects.filter(verb="grade.submit").update(at=dt.datetime(2020, 5, 12, 3, 30, tzinfo=dt.UTC))
    html = _client(world.chair, "kk").get(reverse("commissions:commission_trail", args=[world.commission.pk]))
    text = _lines(html.content.decode())
    assert "12.05.2020 08:30" in text and "03:30" not in text  # Aqtobe is five hours ahead of UTC


def test_the_trail_filters_by_kind_and_day(world, slot, present):
    _graded(world, slot)
    AuditEvent.objects.filter(verb="grade.submit").update(at=timezone.make_aware(dt.datetime(2020, 5, 12, 10)))
    url = reverse("commissions:commission_trail", args=[world.commission.pk])
    client = _client(world.chair)
    text = visible_text(client.get(url + "?kind=grades").content.decode())
    assert "Gave a grade" in text and "Scheduled a sitting" not in text
    assert "Gave a grade" not in visible_text(client.get(url + "?kind=grades&since=2020-05-13").content.decode())
    assert "Gave a grade" in visible_text(client.get(url + "?since=2020-05-12&until=2020-05-12").content.decode())
    assert "Gave a grade" not in _lines(client.get(url + "?until=11.05.2020").content.decode())
    shown = client.get(url + "?since=12.05.2020&until=12.05.2020").content.decode()
    assert "Gave a grade" in _lines(shown) and 'value="12.05.2020"' in shown  # the day as the page writes it


def _events(world, slot, n: int) -> None:
    users = [UserFactory(username=f"actor-{n}-{i}") for i in range(n)]
    for user in users:
        audit_record(
            actor=user,
            verb="slot.move",
            obj=slot,
            before={"start": "2020-05-12 09:00:00+00:00"},
            after={"start": "2020-05-12 10:00:00+00:00"},
        )


@pytest.mark.parametrize(
    ("url_name", "pinned"),
    [
        # session, user; the commission and the chair's role; count, page; roles, students named
        ("commissions:commission_trail", 9),
        # session, user; the student and who the chair is to them (5); count, page; roles
        ("commissions:student_trail", 11),
    ],
)
def test_a_trail_page_costs_the_same_queries_with_2_or_50_events(world, slot, url_name, pinned, django_assert_num_queries):
    pk = world.commission.pk if url_name == "commissions:commission_trail" else world.student.pk
    url = reverse(url_name, args=[pk])
    client = _client(world.chair)
    client.get(url)  # sessions and content types warm
    counts = []
    for n in (2, 48):
        _events(world, slot, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts == [pinned, pinned]
    with django_assert_num_queries(counts[1]):
        client.get(url)
    assert len(re.findall('data-test="trail-line"', client.get(url).content.decode())) == 50
    assert "page=2" in client.get(url).content.decode()
