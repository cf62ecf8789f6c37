"""Protocols: numbered per commission (amendments keep the number), the members present, the materials before the
commission, dissenting opinions and the honours line — read back from the PDF text."""

import datetime as dt
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from attestation.grading.models import GradeBand
from attestation.grading.scale import Scale, grade_scale_create_default
from attestation.institutions.models import Discipline
from attestation.tests.factories import World
from commissions.attendance import attendance_record
from commissions.grading import services as grading
from commissions.models import DissentingOpinion, Membership, Paper, Slot
from commissions.papers import services
from commissions.papers.honours import Verdict, honours_verdict
from commissions.tests.conftest import everyone_present
from commissions.tests.test_papers import pdf_text, render
from exams.applications.models import TranscriptRow

pytestmark = pytest.mark.django_db


def kk(message: str, **values) -> str:
    """A label as the Kazakh protocol prints it (English until the catalogue translates it)."""
    with translation.override("kk"):
        return gettext(message) % values if values else gettext(message)


def flat(paper, media) -> str:
    return " ".join(pdf_text(paper.document.file.read(), media).split())


def test_protocols_take_the_next_number_of_their_commission_and_grade_sheets_none(world, slot, other_slot, announced, media):
    first = render(world, Paper.Kind.PROTOCOL, slot)
    second = render(world, Paper.Kind.PROTOCOL, other_slot)
    sheet = render(world, Paper.Kind.VEDOMOST)
    assert (first.number, second.number, sheet.number) == (1, 2, None)
    assert kk("Protocol No. %(number)s of the sitting of the attestation commission", number=2) in flat(second, media)


def test_the_number_is_printed_and_an_amendment_keeps_and_cites_it(world, slot, other_slot, announced, media):
    render(world, Paper.Kind.PROTOCOL, other_slot)
    original = render(world, Paper.Kind.PROTOCOL, slot)
    amendment = services.paper_render(
        actor=world.secretary,
        kind=Paper.Kind.PROTOCOL,
        sitting=world.sitting,
        slot=slot,
        amends=original,
        amendment_reason="Апелляция шешімі",
    )
    assert (original.number, amendment.number, amendment.amends) == (2, 2, original)
    text = flat(amendment, media)
    assert "Апелляция шешімі" in text
    assert kk("Protocol No. %(number)s of the sitting of the attestation commission", number=2) in text
    # dated where the institution is (Almaty's evening is the next day's in UTC from 19:00)
    dated = timezone.localtime(original.created_at, ZoneInfo(world.institution.time_zone)).strftime("%d.%m.%Y")
    assert kk("Amends protocol No. %(number)s of %(date)s.", number=2, date=dated) in text
    assert render(world, Paper.Kind.PROTOCOL, slot).number == 3  # the sequence goes on after the amendment


def test_the_database_refuses_a_second_original_with_the_same_number(world, slot, announced, media):
    paper = render(world, Paper.Kind.PROTOCOL, slot)
    other = render(world, Paper.Kind.PROTOCOL, slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Paper.objects.filter(pk=other.pk).update(number=paper.number)


@pytest.mark.requires_postgres(reason="concurrent transactions; SQLite locks the whole table instead")
@pytest.mark.django_db(transaction=True)
def test_concurrent_protocols_get_distinct_consecutive_numbers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World.build()
    everyone_present(world)
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    grading.result_set_incomplete(actor=world.chair, slot=slot)
    errors, barrier = [], threading.Barrier(6)

    def draw_up():
        try:
            barrier.wait()
            services.paper_render(actor=world.secretary, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=slot)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=draw_up) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Paper.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_protocol_lists_present_and_absent_members(world, slot, member2, media):
    present = Membership.objects.filter(commission=world.commission).exclude(user=member2)
    attendance_record(actor=world.secretary, sitting=world.sitting, present_ids=present.values_list("pk", flat=True))
    grading.result_set_incomplete(actor=world.chair, slot=slot)
    text = flat(render(world, Paper.Kind.PROTOCOL, slot), media)
    present_part, absent_part = text.split(kk("Absent") + ":", 1)
    assert world.member.display_name in present_part and world.secretary.display_name in present_part
    assert member2.display_name in absent_part and member2.display_name not in present_part


def test_protocol_says_when_attendance_was_not_recorded(world, slot, media):
    grading.result_set_incomplete(actor=world.chair, slot=slot)
    assert kk("attendance was not recorded in the portal") in flat(render(world, Paper.Kind.PROTOCOL, slot), media)


def test_a_dissenting_opinion_is_recorded_once_and_printed(world, slot, present, media):
    grading.grade_submit(actor=world.chair, slot=slot, points="96")
    grading.grade_submit(actor=world.member, slot=slot, points="92")
    grading.dissenting_opinion_record(actor=world.member, slot=slot, text="Жауаптар толық емес, B+ лайық.")
    with pytest.raises(ValidationError, match="already recorded"):
        grading.dissenting_opinion_record(actor=world.member, slot=slot, text="Тағы да")
    with pytest.raises(ValidationError):
        grading.dissenting_opinion_record(actor=world.secretary, slot=slot, text="Хатшы дауыс бермейді")
    grading.result_decide(actor=world.chair, slot=slot)
    assert "Жауаптар толық емес, B+ лайық." in flat(render(world, Paper.Kind.PROTOCOL, slot), media)
    assert DissentingOpinion.objects.count() == 1


def test_opinion_form_on_the_grading_panel_records_it(client, world, slot, present):
    client.force_login(world.member)
    panel = client.get(reverse("commissions:slot_results", args=[slot.pk])).content.decode()
    assert 'name="text"' in panel
    client.post(reverse("commissions:opinion_record", args=[slot.pk]), {"text": "Ерекше пікір", "subject": "degree"})
    assert DissentingOpinion.objects.get().subject == "degree"
    client.force_login(world.student.user)
    assert client.post(reverse("commissions:opinion_record", args=[slot.pk]), {"text": "x"}).status_code == 403


def _scale(world):
    return Scale.for_institution(world.institution.pk)


def test_honours_need_every_exam_grade_the_gpa_and_an_a_at_the_attestation(world, slot, announced):
    result = slot.__class__.objects.get(pk=slot.pk).result  # A- (94 points)
    good = [(Decimal("96"), 5), (Decimal("91"), 5), (Decimal("86"), 2)]
    verdict = honours_verdict(commission=world.commission, result=result, scores=good, scale=_scale(world))
    assert verdict.verdict == Verdict.WITH and verdict.gpa >= Decimal("3.5")
    one_c = [*good, (Decimal("66"), 1)]  # a C: not allowed for honours, whatever the GPA
    verdict = honours_verdict(commission=world.commission, result=result, scores=one_c, scale=_scale(world))
    assert verdict.verdict == Verdict.WITHOUT and "C" in verdict.reasons[0]
    low_gpa = [(Decimal("80"), 5), (Decimal("76"), 5)]
    verdict = honours_verdict(commission=world.commission, result=result, scores=low_gpa, scale=_scale(world))
    assert verdict.verdict == Verdict.WITHOUT and any("GPA" in r for r in verdict.reasons)


def test_a_low_attestation_grade_rules_out_honours_even_without_a_transcript(world, other_slot, announced):
    result = other_slot.__class__.objects.get(pk=other_slot.pk).result  # C
    verdict = honours_verdict(commission=world.commission, result=result, scores=[], scale=_scale(world))
    assert verdict.verdict == Verdict.WITHOUT


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_low_gpa_is_worded_with_the_documents_decimal_comma(world, slot, announced, language):
    result = slot.__class__.objects.get(pk=slot.pk).result  # A- (94 points)
    with translation.override(language):
        verdict = honours_verdict(
            commission=world.commission, result=result, scores=[(Decimal("80"), 5), (Decimal("76"), 5)], scale=_scale(world)
        )
    reason = next(r for r in verdict.reasons if "GPA" in r)
    assert "3,50" in reason and "." not in reason.replace("GPA", ""), reason


def test_honours_are_not_determined_without_transcript_or_result(world, slot, announced):
    result = slot.__class__.objects.get(pk=slot.pk).result
    assert (
        honours_verdict(commission=world.commission, result=result, scores=[], scale=_scale(world)).verdict
        == Verdict.UNKNOWN
    )
    assert (
        honours_verdict(commission=world.commission, result=None, scores=[(Decimal(99), 5)], scale=_scale(world)).verdict
        == Verdict.UNKNOWN
    )


def test_protocol_prints_the_honours_line_from_the_transcript(world, slot, announced, media):
    for code, points in (("D1", 97), ("D2", 92)):
        discipline = Discipline.objects.create(
            institution=world.institution,
            code=code,
            name_kk=code,
            name_ru=code,
            category=Discipline.Category.BASIC,
            credits=5,
        )
        TranscriptRow.objects.create(
            student=world.student, discipline=discipline, period="2019-2", kind=TranscriptRow.Kind.FINAL, points=points
        )
    text = flat(render(world, Paper.Kind.PROTOCOL, slot), media)
    other = slot.__class__.objects.exclude(pk=slot.pk).get(sitting=world.sitting)
    other_text = flat(render(world, Paper.Kind.PROTOCOL, other), media)
    assert kk("Issue a diploma with honours.") in text
    assert kk("Issue a diploma with honours.") not in other_text
    assert kk("Issue a diploma without honours") in other_text  # a C at the attestation decides it


def _transcript(world, points_by_code):
    for code, points in points_by_code:
        discipline = Discipline.objects.create(
            institution=world.institution,
            code=code,
            name_kk=code,
            name_ru=code,
            category=Discipline.Category.BASIC,
            credits=5,
        )
        TranscriptRow.objects.create(
            student=world.student, discipline=discipline, period="2019-2", kind=TranscriptRow.Kind.FINAL, points=points
        )


def test_the_protocol_reads_the_transcript_on_the_scale_in_force_at_the_sitting_not_a_later_one(
    world, slot, announced, media
):
    """A scale adopted after the sitting (here one that gives every band 1.00 GPA point) must not change the honours
    line of a protocol drawn up for it: the sitting of 12 May 2020 is judged on the scale of that day."""

    _transcript(world, (("D1", 97), ("D2", 92)))
    later = grade_scale_create_default(institution=world.institution, valid_from=dt.date(2020, 9, 1), uses_five_point=False)
    GradeBand.objects.filter(scale=later, gpa__isnull=False).update(gpa=Decimal("1.00"))
    text = flat(render(world, Paper.Kind.PROTOCOL, slot), media)
    assert kk("Issue a diploma with honours.") in text


def test_honours_are_not_determined_when_the_transcript_is_missing(world, slot, announced, media):
    text = flat(render(world, Paper.Kind.PROTOCOL, slot), media)  # an A- student, no transcript in the portal
    assert kk("Diploma with honours: not determined") in text
    assert kk("no exam grades of the transcript are in the portal") in text
