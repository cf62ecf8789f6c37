"""Issue 23: the documents' wording (GLOSSARY.md, the seeds), the appeal's new grade on every document that shows
it, and the signature's reason in the document's language."""

import subprocess

import pytest
from django.utils import translation

from attestation.institutions.models import Programme
from commissions.models import Commission, Paper, Result
from commissions.papers import services, signing, testca

pytestmark = pytest.mark.django_db


def text_of(paper, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(signing.current_bytes(paper))
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())


def render(world, kind, slot=None):
    return services.paper_render(actor=world.secretary, kind=kind, sitting=world.sitting, slot=slot)


def test_the_kazakh_vedomost_title_is_kazakh_and_the_russian_one_russian(world, announced, media):
    text = text_of(render(world, Paper.Kind.VEDOMOST), media)
    assert "ЕМТИХАН ВЕДОМОСІ" in text.upper() and "Ведомость" not in text
    world.group.study_language = "ru"
    world.group.save()
    assert "Экзаменационная ведомость" in text_of(render(world, Paper.Kind.VEDOMOST), media)


def test_a_protocol_of_a_sitting_that_took_place_speaks_in_the_past(world, slot, announced, media):
    text = text_of(render(world, Paper.Kind.PROTOCOL, slot), media)
    assert "өткізілді" in text and "өткізіледі" not in text


def test_a_masters_defense_is_of_a_masters_dissertation(world, slot, announced, media):
    Commission.objects.filter(pk=world.commission.pk).update(form=Commission.Form.DEFENSE)
    Programme.objects.filter(pk=world.programme.pk).update(level="master")
    text = text_of(render(world, Paper.Kind.PROTOCOL, slot), media)
    assert "магистрлік диссертацияны (жобаны) қорғау" in text
    assert "дипломдық жұмысты (жобаны) қорғау" not in text


def test_an_appeal_grade_change_amends_the_degree_protocol_too(world, slot, announced, media):
    Commission.objects.filter(pk=world.commission.pk).update(form=Commission.Form.DEFENSE)
    world.sitting.commission.refresh_from_db()
    originals = {kind: render(world, kind, slot if kind == "protocol" else None) for kind in Paper.NUMBERED + ("vedomost",)}
    Result.objects.filter(slot=slot).update(letter="B+", points="87.00")  # what the appeal decided
    amended = services.papers_amend_after_change(actor=world.secretary, slot=slot, reason="Апелляция")
    assert {p.kind for p in amended} == {"protocol", "vedomost", "degree_protocol"}
    for paper in amended:
        assert paper.amends == originals[paper.kind]
        text = text_of(paper, media)
        assert "B+" in text and "87" in text, paper.kind


def test_the_signature_reason_is_in_the_documents_language(world, slot, announced, media):
    paper = render(world, Paper.Kind.PROTOCOL, slot)
    with translation.override("en"):  # the secretary's interface is English; the protocol is Kazakh
        testca.sign_as(actor=world.secretary, paper=paper)
    (signature,) = signing.pdf_verify(signing.current_bytes(paper))["signatures"]
    assert "Signed by" not in signature["reason"] and "комиссия" in signature["reason"].lower()


def test_an_english_taught_programme_gets_its_documents_in_english(world, slot, announced, media):
    world.group.study_language = "en"
    world.group.save()
    protocol, vedomost = render(world, Paper.Kind.PROTOCOL, slot), render(world, Paper.Kind.VEDOMOST)
    assert (protocol.document.language, vedomost.document.language) == ("en", "en")
    text = text_of(protocol, media)
    assert "Protocol No. 1 of the sitting of the attestation commission" in text
    assert "The attestation was held with distance educational technologies." in text
    assert "Grade sheet (vedomost)" in text_of(vedomost, media)
    with translation.override("kk"):  # the signer's interface is Kazakh; the reason follows the document
        testca.sign_as(actor=world.secretary, paper=protocol)
    (signature,) = signing.pdf_verify(signing.current_bytes(protocol))["signatures"]
    assert signature["reason"].startswith("Signed by")


def test_the_russian_degree_protocol_heads_its_vote_column_as_a_vote_not_a_button(world, announced, media):
    """The column says «Голосование» (the vote held), not the button's «Проголосовать»; GPA's header is capitalised."""
    Commission.objects.filter(pk=world.commission.pk).update(form=Commission.Form.DEFENSE)
    world.group.study_language = "ru"
    world.group.save()
    text = text_of(render(world, Paper.Kind.DEGREE_PROTOCOL), media)
    assert "Голосование" in text and "Проголосовать" not in text
    assert "Балл GPA" in text_of(render(world, Paper.Kind.VEDOMOST), media)
