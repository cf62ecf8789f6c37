import datetime as dt
import io
import subprocess

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from attestation.institutions.models import Registrar
from attestation.tests.factories import StudentFactory, UserFactory
from commissions import services as commission_services
from commissions.grading import services as grading
from commissions.models import DocumentJob, Paper
from commissions.papers import services, testca
from commissions.papers.xlsx import vedomost_xlsx

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def render(world, kind, slot=None):
    return services.paper_render(actor=world.secretary, kind=kind, sitting=world.sitting, slot=slot)


def test_protocol_in_kazakh_has_the_names_grades_and_fields(world, slot, announced, media):
    world.student.last_name_kk, world.student.record_number = "Әбілқайыров", "ST-0042"
    world.student.save()
    paper = render(world, Paper.Kind.PROTOCOL, slot)
    assert paper.document.language == "kk"
    text = pdf_text(paper.document.file.read(), media)
    assert "Әбілқайыров Әлібек" in text
    assert "ST-0042" in text
    assert "94.00" in text or "94,00" in text  # mean of 96 and 92
    assert "A-" in text
    assert world.commission.order_number in text
    assert "Ақпараттық жүйелер" in text  # the programme's Kazakh name
    assert world.chair.display_name in text and world.secretary.display_name in text


def test_protocol_follows_the_group_language(world, slot, announced, media):
    world.group.study_language = "ru"
    world.group.save()
    paper = render(world, Paper.Kind.PROTOCOL, slot)
    text = pdf_text(paper.document.file.read(), media)
    assert paper.document.language == "ru"
    assert "Касымов Алибек" in text and "Информационные системы" in text


def test_the_documents_page_names_each_papers_language_in_the_readers_language(client, world, slot, announced, media):
    world.group.study_language = "ru"
    world.group.save()
    render(world, Paper.Kind.PROTOCOL, slot)
    client.force_login(world.secretary)
    client.cookies["django_language"] = "kk"
    page = client.get(reverse("commissions:sitting_documents", args=[world.sitting.pk])).content.decode()
    assert "· орысша" in page and "· ru<" not in page


def test_vedomost_lists_every_student_with_grades(world, announced, media):
    paper = render(world, Paper.Kind.VEDOMOST)
    text = pdf_text(paper.document.file.read(), media)
    assert text.count("Қасымов") == 2
    assert "A-" in text  # mean of 96 and 92
    assert "69.50" in text or "69,50" in text  # mean of 71 and 68: C (65-69.99), not C+
    assert "C+" not in text
    assert world.member.display_name in text


def test_documents_job_renders_everything_with_progress(
    client, world, announced, media, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(world.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("commissions:documents_draw_up", args=[world.sitting.pk]))
    job = DocumentJob.objects.get()
    assert (job.state, job.done, job.total, job.percent) == ("done", 3, 3, 100)
    assert sorted(Paper.objects.values_list("kind", flat=True)) == ["protocol", "protocol", "vedomost"]
    assert client.get(reverse("commissions:job_progress", args=[job.pk])).status_code == 200
    page = client.get(reverse("commissions:sitting_documents", args=[world.sitting.pk])).content.decode()
    assert page.count('data-sign-url="') == 2  # the secretary signs the two protocols, not the vedomost


def test_a_second_run_of_the_same_job_does_nothing(world, announced, media):
    job = DocumentJob.objects.create(
        sitting=world.sitting, commission=world.commission, requested_by=world.secretary, created_at="2020-05-12T10:00Z"
    )
    services.job_run(job_pk=job.pk)
    services.job_run(job_pk=job.pk)
    assert Paper.objects.count() == 3


def test_qr_code_on_the_pdf_leads_to_verification(world, slot, announced, media):
    paper = render(world, Paper.Kind.PROTOCOL, slot)
    text = pdf_text(paper.document.file.read(), media)
    assert f"/verify/{paper.pk}/" in text.replace("\n", "")


@pytest.mark.parametrize(
    "persona, status", [("chair", 200), ("member", 200), ("secretary", 200), ("head", 200), ("outsider", 404)]
)
def test_only_the_right_people_download(client, world, announced, media, persona, status):
    paper = render(world, Paper.Kind.VEDOMOST)
    client.force_login(getattr(world, persona))
    assert client.get(reverse("commissions:paper_download", args=[paper.pk])).status_code == status
    assert client.get(reverse("commissions:paper_xlsx", args=[paper.pk])).status_code == status


def test_students_do_not_download_commission_documents(client, world, slot, announced, media):
    paper = render(world, Paper.Kind.PROTOCOL, slot)
    client.force_login(world.student.user)
    assert client.get(reverse("commissions:paper_download", args=[paper.pk])).status_code == 404
    assert client.get(reverse("commissions:sitting_documents", args=[world.sitting.pk])).status_code == 404
    client.force_login(world.outsider)
    assert client.post(reverse("commissions:paper_sign", args=[paper.pk])).status_code == 404
    assert client.post(reverse("commissions:documents_draw_up", args=[world.sitting.pk])).status_code == 404


def test_the_registrar_finds_the_registry_under_the_institutions_name_not_its_code(client, world):
    registrar = UserFactory(username="registrar")
    Registrar.objects.create(institution=world.institution, user=registrar)
    client.force_login(registrar)
    client.cookies["django_language"] = "kk"
    home = client.get("/").content.decode()
    registry = client.get(reverse("commissions:registry", args=[world.institution.pk])).content.decode()
    link = f'href="{reverse("commissions:registry", args=[world.institution.pk])}">{world.institution.name_kk}</a>'
    assert link in home
    assert f"· {world.institution.name_kk}</h1>" in registry


def test_registrar_lists_filters_and_downloads(client, world, slot, announced, media):
    registrar = UserFactory(username="registrar")
    Registrar.objects.create(institution=world.institution, user=registrar)
    vedomost = render(world, Paper.Kind.VEDOMOST)
    for user in (world.member, world.chair):  # the registrar's list shows signed grade sheets only
        testca.sign_as(actor=user, paper=vedomost)
    render(world, Paper.Kind.PROTOCOL, slot)
    client.force_login(registrar)
    url = reverse("commissions:registry", args=[world.institution.pk])
    page = client.get(url, {"kind": "vedomost", "programme": world.programme.pk, "year": 2019})
    assert list(page.context["papers"]) == [vedomost]
    assert client.get(reverse("commissions:paper_download", args=[vedomost.pk])).status_code == 200
    xlsx = client.get(reverse("commissions:paper_xlsx", args=[vedomost.pk]))
    assert xlsx.content.startswith(b"PK")
    client.force_login(world.chair)
    assert client.get(url).status_code == 404


def test_vedomost_xlsx_has_every_student(world, announced, media):

    sheet = load_workbook(io.BytesIO(vedomost_xlsx(sitting=world.sitting))).active
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert [r[6] for r in rows] == ["A-", "C"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_students(world, n):

    sitting = world.sitting
    sitting.ends_at = dt.time(19)
    sitting.save()
    slots = commission_services.schedule_fill(
        actor=world.secretary, sitting=sitting, students=[StudentFactory(group=world.group) for _ in range(n)]
    )
    for s in slots:
        grading.result_set_incomplete(actor=world.chair, slot=s)
        render(world, Paper.Kind.PROTOCOL, s)


def test_list_pages_query_counts_do_not_grow_with_students(client, world, slot, announced, media):
    registrar = UserFactory(username="registrar")
    Registrar.objects.create(institution=world.institution, user=registrar)
    protocol = render(world, Paper.Kind.PROTOCOL, slot)
    testca.sign_as(actor=world.secretary, paper=protocol)
    render(world, Paper.Kind.VEDOMOST)
    registry_url = reverse("commissions:registry", args=[world.institution.pk])
    documents_url = reverse("commissions:sitting_documents", args=[world.sitting.pk])
    client.force_login(registrar)
    registry_small = _queries(client, registry_url)
    client.force_login(world.secretary)
    documents_small = _queries(client, documents_url)
    _more_students(world, 18)
    assert world.sitting.slots.count() == 20
    client.force_login(registrar)
    assert _queries(client, registry_url) == registry_small
    client.force_login(world.secretary)
    assert _queries(client, documents_url) == documents_small


def test_defense_protocol_names_the_thesis_supervisor_and_reviewer(world, slot, announced, media):
    thesis_model = apps.get_model("admission", "Thesis")
    thesis_model.objects.create(
        student=world.student,
        topic_kk="Қазақ тіліндегі мәтінді талдау жүйесі",
        topic_ru="Система анализа текста",
        language="kk",
        supervisor=world.head,
        reviewer_name="Сейітқали Ғабит",
        reviewer_degree="PhD",
        reviewer_workplace="ҚазҰУ",
        reviewer_position="доцент",
    )
    text = pdf_text(render(world, Paper.Kind.PROTOCOL, slot).document.file.read(), media)
    assert "Қазақ тіліндегі мәтінді талдау жүйесі" in text
    assert "Сейітқали Ғабит" in text and "ҚазҰУ" in text
