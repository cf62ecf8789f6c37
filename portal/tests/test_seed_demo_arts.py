import pytest
from django.core.management import call_command
from django.urls import reverse

from attestation.institutions.models import Programme, Student
from exams.applications.models import ArtsResult

pytestmark = pytest.mark.django_db


def test_the_demo_college_head_reaches_the_ballet_recording_and_employer_reviews(client, settings, tmp_path):
    """R46: the demo's one arts and culture programme is the college's ballet; its head opens the results from the
    home page, sets a dancer's result with the recording and the reviews, and downloads the set one's files."""
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    ballet = Programme.objects.get(arts_and_culture=True)
    assert ballet.code == "0408013" and ballet.level == Programme.Level.COLLEGE
    client.force_login(ballet.department.heads.get().user)
    arts_list = reverse("applications:arts_list", args=[ballet.department_id])
    assert arts_list in client.get(reverse("home")).content.decode()
    page = client.get(arts_list)
    assert {s.group.programme_id for s in page.context["students"]} == {ballet.pk}
    done = ArtsResult.objects.get()
    assert done.recording and done.employer_reviews
    assert client.get(reverse("applications:arts_file", args=[done.pk, "recording"])).status_code == 200
    assert client.get(reverse("applications:arts_file", args=[done.pk, "reviews"])).status_code == 200
    pending = Student.objects.filter(group__programme=ballet).exclude(pk=done.student_id).first()
    form = client.get(reverse("applications:arts_set", args=[pending.pk])).content.decode()
    assert 'name="recording"' in form and 'name="employer_reviews"' in form
    software = Student.objects.filter(group__programme__code="06130100").first()
    assert client.get(reverse("applications:arts_set", args=[software.pk])).status_code == 404
