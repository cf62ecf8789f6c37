import subprocess

import pytest
from django.urls import reverse

from attestation.institutions.models import Registrar
from commissions.models import DocumentJob, Paper, Signature
from commissions.papers import services, signing

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


def test_vedomost_lists_every_student_with_grades(world, announced, media):
    paper = render(world, Paper.Kind.VEDOMOST)
    text = pdf_text(paper.document.file.read(), media)
    assert text.count("Қасымов") == 2
    assert "A-" in text and "C+" in text or "C" in text
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
    assert page.count('name="password"') == 2  # the secretary signs the two protocols, not the vedomost


def test_a_second_run_of_the_same_job_does_nothing(world, announced, media):
    job = DocumentJob.objects.create(
        sitting=world.sitting, commission=world.commission, requested_by=world.secretary, created_at="2020-05-12T10:00Z"
    )
    services.job_run(job_pk=job.pk)
    services.job_run(job_pk=job.pk)
    assert Paper.objects.count() == 3


def test_chair_and_secretary_sign_incrementally_and_both_stay_valid(world, slot, announced, media):
    paper = render(world, Paper.Kind.PROTOCOL, slot)
    signing.paper_sign(actor=world.chair, paper=paper, password="pw-attest-1")
    signing.paper_sign(actor=world.secretary, paper=paper, password="pw-attest-1")
    data = signing.current_bytes(paper)
    report = signing.pdf_verify(data)
    assert report["ok"] is True
    assert [s["name"] for s in report["signatures"]] == [world.chair.display_name, world.secretary.display_name]
    assert all(s["intact"] and s["trusted"] for s in report["signatures"])
    assert world.chair.display_name in report["signatures"][0]["reason"]
    assert signing.paper_fully_signed(paper)
    assert world.member.notifications.filter(kind="protocol_signed").count() == 1  # R36: to every member


def test_one_changed_byte_shows_as_tampered(world, slot, announced, media):
    paper = render(world, Paper.Kind.PROTOCOL, slot)
    signing.paper_sign(actor=world.chair, paper=paper, password="pw-attest-1")
    data = bytearray(signing.current_bytes(paper))
    start = data.index(b"stream", data.index(b"/Contents")) + 40  # inside a signed content stream
    data[start] ^= 0x01
    report = signing.pdf_verify(bytes(data))
    assert report["ok"] is False
    assert report["damaged"] or not report["signatures"][0]["intact"]


def test_signing_needs_the_password_and_the_right_role(world, slot, announced, media):
    from django.core.exceptions import ValidationError

    paper = render(world, Paper.Kind.PROTOCOL, slot)
    with pytest.raises(ValidationError, match="password"):
        signing.paper_sign(actor=world.chair, paper=paper, password="wrong")
    with pytest.raises(ValidationError):
        signing.paper_sign(actor=world.member, paper=paper, password="pw-attest-1")  # members sign vedomosti
    signing.paper_sign(actor=world.chair, paper=paper, password="pw-attest-1")
    with pytest.raises(ValidationError, match="already"):
        signing.paper_sign(actor=world.chair, paper=paper, password="pw-attest-1")
    assert Signature.objects.count() == 1


def test_verification_pages(client, world, slot, announced, media):
    paper = render(world, Paper.Kind.PROTOCOL, slot)
    signing.paper_sign(actor=world.chair, paper=paper, password="pw-attest-1")
    page = client.get(reverse("commissions:verify_paper", args=[paper.pk])).content.decode()
    assert world.chair.display_name in page and "alert-success" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = signing.current_bytes(paper)
    ok = client.post(reverse("commissions:verify_upload"), {"pdf": SimpleUploadedFile("p.pdf", data)})
    assert "alert-success" in ok.content.decode() and "portal" in ok.content.decode()
    bad = bytearray(data)
    bad[len(bad) // 2] ^= 0x01
    tampered = client.post(reverse("commissions:verify_upload"), {"pdf": SimpleUploadedFile("p.pdf", bytes(bad))})
    assert "alert-danger" in tampered.content.decode()


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
    assert client.post(reverse("commissions:paper_sign", args=[paper.pk]), {"password": "pw-attest-1"}).status_code == 404
    assert client.post(reverse("commissions:documents_draw_up", args=[world.sitting.pk])).status_code == 404


def test_registrar_lists_filters_and_downloads(client, world, slot, announced, media):
    from attestation.tests.factories import UserFactory

    registrar = UserFactory(username="registrar")
    Registrar.objects.create(institution=world.institution, user=registrar)
    vedomost = render(world, Paper.Kind.VEDOMOST)
    for user in (world.chair, world.member):  # the registrar's list shows signed grade sheets only
        signing.paper_sign(actor=user, paper=vedomost, password="pw-attest-1")
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
    import io

    from openpyxl import load_workbook

    from commissions.papers.xlsx import vedomost_xlsx

    sheet = load_workbook(io.BytesIO(vedomost_xlsx(sitting=world.sitting))).active
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert [r[6] for r in rows] == ["A-", "C"]


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_students(world, n):
    import datetime as dt

    from attestation.tests.factories import StudentFactory
    from commissions import services as commission_services
    from commissions.grading import services as grading

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
    from attestation.tests.factories import UserFactory

    registrar = UserFactory(username="registrar")
    Registrar.objects.create(institution=world.institution, user=registrar)
    protocol = render(world, Paper.Kind.PROTOCOL, slot)
    signing.paper_sign(actor=world.chair, paper=protocol, password="pw-attest-1")
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


def _pkcs12(password: bytes) -> bytes:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ТӨРАҒА ЕРЛАН")])
    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(b"me", key, certificate, None, BestAvailableEncryption(password))


def test_signer_with_an_uploaded_pkcs12_signs_with_it(client, world, slot, announced, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    paper = render(world, Paper.Kind.PROTOCOL, slot)
    client.force_login(world.chair)
    client.post(
        reverse("commissions:my_certificate"),
        {"certificate": SimpleUploadedFile("me.p12", _pkcs12(b"secret")), "password": "wrong"},
    )
    assert not Signature.objects.exists()
    from commissions.models import SigningKey

    assert not SigningKey.objects.filter(kind="personal").exists()
    client.post(
        reverse("commissions:my_certificate"),
        {"certificate": SimpleUploadedFile("me.p12", _pkcs12(b"secret")), "password": "secret"},
    )
    assert SigningKey.objects.filter(kind="personal", user=world.chair).exists()
    client.post(reverse("commissions:paper_sign", args=[paper.pk]), {"password": "pw-attest-1", "pkcs12_password": "secret"})
    signature = Signature.objects.get()
    assert signature.own_certificate and "ТӨРАҒА ЕРЛАН" in signature.certificate_subject
    report = signing.pdf_verify(signing.current_bytes(paper))
    assert report["signatures"][0]["intact"] is True
    assert report["signatures"][0]["trusted"] is False  # a self-made root the portal does not trust


def test_my_certificate_page_needs_login(client, world):
    assert client.get(reverse("commissions:my_certificate")).status_code == 302


def test_defense_protocol_names_the_thesis_supervisor_and_reviewer(world, slot, announced, media):
    from django.apps import apps

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
