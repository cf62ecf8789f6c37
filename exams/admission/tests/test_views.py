from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams.admission.models import AdmissionDecision, ThesisVersion

from .conftest import make_green, more_students, register


def test_a_student_cannot_reach_another_students_thesis(client, world, supervisor, reviewer):
    other = register(world.other_student, supervisor, reviewer)
    client.force_login(world.student.user)
    assert client.get(reverse("admission:thesis", args=[other.pk])).status_code == 404
    assert client.get(reverse("admission:clearance", args=[world.other_student.pk])).status_code == 404


def test_the_student_sees_own_thesis_with_what_is_missing_and_by_when(client, world, supervisor, reviewer, defense):
    register(world.student, supervisor, reviewer)
    client.force_login(world.student.user)
    page = client.get(reverse("admission:my_thesis"))  # in Kazakh, the student's language
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ғылыми жетекшінің пікірі" in text
    assert "20.05.2020" in text and "08.06.2020" in text


def test_a_supervisor_sees_only_their_own_students(client, world, supervisor, reviewer):
    mine = register(world.student, supervisor, reviewer)
    theirs = register(world.other_student, world.chair, reviewer)
    client.force_login(supervisor)
    page = client.get(reverse("admission:my_reviews")).content.decode()
    assert reverse("admission:thesis", args=[mine.pk]) in page
    assert reverse("admission:thesis", args=[theirs.pk]) not in page
    assert client.get(reverse("admission:thesis", args=[theirs.pk])).status_code == 404


def test_a_supervisor_cannot_post_the_external_review(client, world, supervisor, reviewer):
    thesis = register(world.student, supervisor, reviewer)
    client.force_login(supervisor)
    response = client.post(
        reverse("admission:thesis", args=[thesis.pk]),
        {"action": "external", "conclusion": "admitted", "letter": "A", "text": "x"},
    )
    assert response.status_code == 403


def test_a_renamed_html_file_is_refused_as_a_thesis_pdf(client, world, supervisor, reviewer):
    thesis = register(world.student, supervisor, reviewer)
    client.force_login(world.student.user)
    fake = SimpleUploadedFile("thesis.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client.post(reverse("admission:my_thesis"), {"action": "version", "file": fake})
    assert response.status_code == 400
    assert not ThesisVersion.objects.filter(thesis=thesis).exists()


def test_the_reviewer_submits_the_external_review_in_the_portal(client, world, supervisor, reviewer):
    thesis = register(world.student, supervisor, reviewer)
    client.force_login(reviewer)
    response = client.post(
        reverse("admission:thesis", args=[thesis.pk]),
        {"action": "external", "conclusion": "admitted", "letter": "B+", "text": "Жақсы."},
    )
    assert response.status_code == 302
    assert thesis.reviews.get().letter == "B+"


def test_outsiders_get_404_on_the_admission_table_and_theses(client, world, outsider, supervisor, reviewer):
    thesis = register(world.student, supervisor, reviewer)
    client.force_login(outsider)
    assert client.get(reverse("admission:table", args=[world.programme.pk])).status_code == 404
    assert client.get(reverse("admission:thesis", args=[thesis.pk])).status_code == 404
    client.force_login(world.student.user)
    assert client.get(reverse("admission:table", args=[world.programme.pk])).status_code == 404


def _table_queries(client, head, programme) -> int:
    client.force_login(head)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("admission:table", args=[programme.pk])).status_code == 200
    return len(ctx.captured_queries)


def test_the_admission_table_runs_the_same_queries_for_2_and_20_students(client, world, supervisor, reviewer, head):
    for student in (world.student, world.other_student):
        make_green(student, supervisor=supervisor, reviewer=reviewer, head=head)
    two = _table_queries(client, head, world.programme)
    for student in more_students(world, 18):
        make_green(student, supervisor=supervisor, reviewer=reviewer, head=head)
    assert _table_queries(client, head, world.programme) == two


def test_the_head_admits_the_green_students_from_the_table(client, world, supervisor, reviewer, head):
    make_green(world.student, supervisor=supervisor, reviewer=reviewer, head=head)
    client.force_login(head)
    url = reverse("admission:table", args=[world.programme.pk])
    page = client.get(url).content.decode()
    assert f'value="{world.student.pk}"' in page and f'value="{world.other_student.pk}"' not in page
    response = client.post(url, {"action": "admit", "student": [world.student.pk]})
    assert response.status_code == 302
    decision = AdmissionDecision.objects.get(student=world.student)
    order = client.get(reverse("admission:order", args=[decision.admission_list_id]))
    assert order.status_code == 200 and order["Content-Type"] == "application/pdf"


def test_the_head_marks_clearance_on_the_sheet(client, world, head):
    client.force_login(head)
    url = reverse("admission:clearance", args=[world.student.pk])
    response = client.post(url, {"line": "library", "cleared": "yes", "note": ""})
    assert response.status_code == 302
    assert world.student.clearance_lines.get().cleared


def test_home_page_shows_the_admission_cards(client, world, supervisor, reviewer, head):
    register(world.student, supervisor, reviewer)
    client.force_login(head)
    assert reverse("admission:table", args=[world.programme.pk]) in client.get(reverse("home")).content.decode()
    client.force_login(supervisor)
    assert reverse("admission:my_reviews") in client.get(reverse("home")).content.decode()
