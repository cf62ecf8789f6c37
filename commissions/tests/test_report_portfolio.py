import io
import subprocess
import zipfile

import pytest
from django.urls import reverse

from commissions.grading import votes
from commissions.models import DocumentJob, Paper
from commissions.papers import services, signing, testca

pytestmark = pytest.mark.django_db


def queue(client, user, name, world, data=None, capture=None):
    client.force_login(user)
    with capture(execute=True):
        return client.post(reverse(f"commissions:{name}", args=[world.commission.pk]), data or {})


def test_chairs_report_has_distribution_decisions_and_text(
    client, world, slot, announced, media, eager_celery, django_capture_on_commit_callbacks
):
    vote_round = votes.vote_open(actor=world.chair, slot=slot, mode="open")
    votes.vote_cast(actor=world.member, vote_round=vote_round, choice="for")
    votes.vote_cast(actor=world.chair, vote_round=vote_round, choice="for")
    votes.vote_close(actor=world.chair, vote_round=vote_round)
    queue(
        client, world.chair, "report_queue", world, {"text": "Дайындық деңгейі жоғары."}, django_capture_on_commit_callbacks
    )
    job = DocumentJob.objects.get(kind="report")
    assert job.state == "done" and job.output is not None
    response = client.get(reverse("commissions:job_output", args=[job.pk]))
    path = media / "r.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Дайындық деңгейі жоғары." in text
    assert "50.0%" in text or "50,0%" in text  # one A- and one C in the programme
    assert Paper.objects.filter(kind="report").exists()


def test_only_the_chair_writes_the_report(client, world, media):
    client.force_login(world.member)
    assert client.post(reverse("commissions:report_queue", args=[world.commission.pk])).status_code == 403
    client.force_login(world.outsider)
    assert client.post(reverse("commissions:report_queue", args=[world.commission.pk])).status_code == 404
    assert client.get(reverse("commissions:commission_documents", args=[world.commission.pk])).status_code == 404


def test_portfolio_zip_holds_signed_documents_and_an_index(
    client, world, slot, announced, media, eager_celery, django_capture_on_commit_callbacks
):
    protocol = services.paper_render(actor=world.secretary, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=slot)
    testca.sign_as(actor=world.secretary, paper=protocol)
    testca.sign_as(actor=world.chair, paper=protocol)
    services.paper_render(actor=world.secretary, kind=Paper.Kind.VEDOMOST, sitting=world.sitting)  # unsigned: left out
    queue(client, world.secretary, "portfolio_queue", world, capture=django_capture_on_commit_callbacks)
    job = DocumentJob.objects.get(kind="portfolio")
    assert (job.state, job.done, job.total) == ("done", 2, 2)
    page = client.get(reverse("commissions:commission_documents", args=[world.commission.pk])).content.decode()
    assert reverse("commissions:job_output", args=[job.pk]) in page
    response = client.get(reverse("commissions:job_output", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "index.csv" in names and len(names) == 2
    signed = next(n for n in names if n.startswith("protocol"))
    assert signing.pdf_verify(archive.read(signed))["ok"] is True
    assert world.chair.display_name in archive.read("index.csv").decode()
    client.force_login(world.outsider)
    assert client.get(reverse("commissions:job_output", args=[job.pk])).status_code == 404
    assert client.get(reverse("commissions:job_progress", args=[job.pk])).status_code == 404


def test_member_cannot_build_the_portfolio(client, world, media):
    client.force_login(world.member)
    assert client.post(reverse("commissions:portfolio_queue", args=[world.commission.pk])).status_code == 403
