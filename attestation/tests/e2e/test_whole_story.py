"""The whole story in a real headless Chromium, on fresh demo data, one browser context per person.

The department head approves a question list and admits students; the secretary (in Kazakh) identifies, admits and
runs one student through an oral exam and another through a defense; the members grade and vote by secret ballot;
the chair announces; the chair and the secretary sign the protocol; the registrar downloads it and checks it on the
verification page; the student (in Russian) sees the result and appeals; the appeal commission answers.

Every step under test is a click in the browser; the test reads the database only to find ids and to check what the
clicks did. Data comes from the demo seed (portal.demo and the apps' seed layers), stopped short of the
steps the people take here; the one seed layer run mid-story is demo_schedule_defenses, which places the students
the head has just admitted (the portal has no scheduling page). The sittings are on the next working day, so the
clock moves there (time-machine, ticking) before the secretary starts. Screenshots: artifacts/e2e/story-*.png
(ignored by git).
"""

import csv
import datetime as dt
import hashlib
import io
import re
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import urlencode

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone, translation

from appeals.models import Appeal
from attestation.celery import app
from attestation.core.collation import name_order, student_name_fields
from attestation.institutions.models import Policy, Programme, Student
from attestation.tests.browser import close_bounded
from attestation.workcal.calendar import nth_working_day_after
from commissions.grading.transcript import verify_transcript, vote_transcript
from commissions.models import Commission, EncryptedBallot, MemberGrade, OpenVote, Paper, Result, Signature, Slot, VoteRound
from commissions.papers import testca
from commissions.papers.signing import pdf_verify
from exams import programmes
from exams import services as exam_services
from exams.admission.models import AdmissionDecision
from exams.models import Attempt, Draw
from portal.demo import PASSWORD, demo_create, demo_schedule_defenses
from portal.management.commands.seed_demo_admission import TOPICS
from portal.management.commands.seed_demo_admission import Command as AdmissionSeed
from portal.management.commands.seed_demo_exams import QUESTIONS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "artifacts" / "e2e"
# htmx wires a swapped-in form a moment after inserting it; typing before that sends no preview request.
HTMX_READY = """document.addEventListener("htmx:load", (event) => {
  if (event.target.querySelector && event.target.querySelector("[id^=points-]")) {
    document.documentElement.dataset.gradeForm = "ready";
  }
});"""


# --- fixtures ------------------------------------------------------------------------------------------------------


@pytest.fixture
def story_settings(settings, tmp_path):
    """Plain-HTTP cookies for the live server, uploads in a temporary folder, Celery tasks run in the request."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.MEDIA_ROOT = tmp_path / "media"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield tmp_path
    app.conf.task_always_eager = previous


# --- fresh demo data, stopped short of the steps under test ----------------------------------------------------------


def demo_up_to_the_story() -> dict:
    """The core demo, a draft question list for the complex exam (the head approves it in the browser) and the
    master's theses with reviews, checks and clearance (the head admits in the browser). The sittings are the story's
    own, from the next working day (the seed's first ones were held the working day before: portal/demo.py)."""
    demo_create(first=nth_working_day_after(timezone.localdate(), 1))
    users = {u.username: u for u in _users("head", "member", "member2", "admin")}
    exam = Commission.objects.get(institution__short_name="DEMO-U", form="complex_exam")
    programme = programmes.programme_create(commission=exam, actor=users["head"], title=f"{exam.name_kk}: бағдарлама")
    for section, texts in QUESTIONS.items():
        for text in texts:
            programmes.question_add(programme=programme, section=section, text=text, actor=users["head"])
    master = Programme.objects.get(code="7M06101", department__institution__short_name="DEMO-U")
    masters = list(Student.objects.filter(group__programme=master).order_by(*name_order(*student_name_fields("kk"))))
    for index, student in enumerate(masters[: len(TOPICS)]):
        AdmissionSeed()._thesis(student, index, users)
    # The demo's supervisors and reviewers sit on the defense commission; this story has all three members grade and
    # vote, so it runs under a policy that lets them (the refusal itself: commissions/tests/test_commission_formed.py).
    Policy.objects.filter(institution__short_name="DEMO-U").update(thesis_advisers_may_not_grade=False)
    return {
        "exam": exam,
        "programme": programme,
        "master": master,
        "defense": Commission.objects.get(institution__short_name="DEMO-U", form="defense"),
    }


def _users(*usernames):
    return get_user_model().objects.filter(username__in=usernames)


# --- the browser -----------------------------------------------------------------------------------------------------


class People:
    """One browser context per person, logged in through the login page."""

    def __init__(self, browser, live_server):
        self.browser, self.url, self.pages = browser, live_server.url, {}

    def __getitem__(self, username):
        return self.pages[username]

    def _log_in(self, username, path):
        context = self.browser.new_context(viewport={"width": 1280, "height": 900}, locale="en", accept_downloads=True)
        context.add_cookies([{"name": "django_language", "value": "en", "url": self.url}])
        context.add_init_script(HTMX_READY)
        page = self._prepared(context.new_page())
        page.goto(f"{self.url}/accounts/login/?{urlencode({'next': path})}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form[method=post] button[type=submit].w-100")
        page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))
        return page

    @staticmethod
    def _prepared(page):
        page.set_default_timeout(30_000)
        page.on("dialog", lambda dialog: dialog.accept())  # "this cannot be undone" questions are answered yes
        return page

    def fresh(self, username):
        """A new tab for this person and the old one closed: a page that may still reload itself (a voting page after
        sending its share of the count) cannot take the next step's navigation away."""
        old = self.pages[username]
        self.pages[username] = self._prepared(old.context.new_page())
        # Left first, then closed, in bounded time (close_bounded): Page.close() has no timeout, and closing a page
        # caught in the middle of the reload its vote's closing starts hung once for good (a whole-suite run,
        # 2026-12-06). That reload may also interrupt the leaving: then it is let finish, and the page left again.
        close_bounded(old)
        return self.pages[username]

    def go(self, username, path):
        """Opens `path` as this person: the first time through the login page, which leads there."""
        if username not in self.pages:
            self.pages[username] = self._log_in(username, path)
        else:
            self.pages[username].goto(f"{self.url}{path}")
        return self.pages[username]


def switch_language(page, code: str) -> None:
    """The navbar's language switch, as a person clicks it."""
    with page.expect_navigation():
        page.click(f"form[action='/i18n/setlang/'] button[name=language][value={code}]")
    assert page.get_attribute("html", "lang") == code


def submit(page, selector: str) -> str:
    """Clicks a form's button, waits for the page it leads to, and fails on any refusal the portal shows."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()
    refusals = page.locator("main > div[role=alert].alert-danger").all_inner_texts()
    assert not refusals, refusals
    return " ".join(page.locator("main > div[role=alert]").all_inner_texts())


def shot(page, step: str) -> None:
    page.screenshot(path=str(SHOTS / f"story-{step}.png"), full_page=True)


# --- the story -------------------------------------------------------------------------------------------------------


def test_the_whole_story_from_question_list_to_the_appeal_answer(live_server, browser, story_settings, ncalayer):
    data = demo_up_to_the_story()
    people = People(browser, live_server)
    oral_slot, defense_slot = head_prepares(people, data)
    # The sittings are on the next working day: the clock (server and test) moves there and keeps ticking.
    with time_machine.travel(max(oral_slot.starts_at, defense_slot.starts_at) + dt.timedelta(minutes=1), tick=True):
        secretary_runs_the_sittings(people, oral_slot, defense_slot)
        members_grade_and_vote(people, oral_slot, defense_slot)
        chair_announces(people, oral_slot, defense_slot)
        protocol = chair_and_secretary_sign(people, oral_slot, ncalayer)
        registrar_verifies(people, protocol, story_settings)
        registrar_reads_the_documents(people, oral_slot, story_settings)
        secretary_hands_over_the_portfolio(people, oral_slot, story_settings)
        appeal = student_appeals(people, oral_slot)
        appeal_commission_answers(people, appeal)


def head_prepares(people, data):
    """The head approves the question list, makes and approves the tickets, and admits the ready master's students;
    then the seed's scheduling layer places the admitted ones (the portal has no scheduling page)."""
    head = people.go("head", f"/programmes/{data['programme'].pk}/")
    submit(head, "form[action$='/approve/'] button")
    head.wait_for_selector("h1 .badge.text-bg-success")
    submit(head, "form[action$='/generate/'] button")
    shot(head, "01-head-approved-question-list")
    submit(head, "form[action^='/ticket-sets/'][action$='/approve/'] button")
    head.wait_for_selector("form[action^='/ticket-sets/'][action$='/revise/']")
    assert exam_services.ticket_set_current(data["exam"]) is not None

    people.go("head", f"/admission/programmes/{data['master'].pk}/")
    ready = head.locator("input[name=student]:checked").count()
    assert ready >= 2, "the demo has master's students ready for admission"
    submit(head, "button[name=action][value=admit]")
    shot(head, "02-head-admitted-students")
    assert AdmissionDecision.objects.filter(outcome="admitted").count() == ready
    assert demo_schedule_defenses() == ready
    oral_slot = Slot.objects.get(student__user__username="student2", sitting__commission=data["exam"])
    return oral_slot, Slot.objects.filter(sitting__commission=data["defense"]).order_by("starts_at").first()


def secretary_runs_the_sittings(people, oral_slot, defense_slot):
    student = people.go("student2", f"/exam/{oral_slot.pk}/")
    switch_language(student, "ru")
    student.wait_for_selector("#enter-button.btn-danger")

    secretary = people.go("secretary", f"/sittings/{oral_slot.sitting_id}/console/")
    switch_language(secretary, "kk")
    assert "Сәйкестендірілді" in secretary.inner_text(f"tr[data-slot='{oral_slot.pk}']")  # «Identified»
    with secretary.expect_navigation():
        secretary.click(f"tr[data-slot='{oral_slot.pk}'] a[href='/console/slots/{oral_slot.pk}/']")
    identify_and_admit(secretary)
    shot(secretary, "03-secretary-kk-identified-and-admitted")

    student.wait_for_selector("#enter-button.btn-success")  # htmx polling, no reload
    with student.expect_navigation():
        student.click(".ticket-card >> nth=3")
    student.wait_for_selector("#ticket-number")
    draw = Draw.objects.select_related("ticket").get(attempt__slot=oral_slot)
    assert f"Билет № {draw.ticket.number}" in student.inner_text("#ticket-number")
    shot(student, "04-student-ru-drew-a-ticket")

    secretary.reload()
    assert draw.ticket.items.order_by("position").first().question.text in secretary.inner_text("main")
    # R28: the questioning waits until the last student has drawn, then the policy's 30 minutes; the portal refuses
    # before, naming who is still to draw and then the time it may start.
    assert "әлі билет таңдамағандар" in refused(secretary, "button[name=to][value=answering]")  # «still to draw»
    secretary_user = get_user_model().objects.get(username="secretary")
    for slot in Slot.objects.filter(sitting_id=oral_slot.sitting_id).exclude(pk=oral_slot.pk):  # they did not come
        exam_services.attempt_transition(
            attempt=exam_services.attempt_for_slot(slot=slot), to_state=Attempt.State.ABSENT, actor=secretary_user
        )
    assert "басталуы мүмкін" in refused(secretary, "button[name=to][value=answering]")  # «may start at»
    Draw.objects.filter(pk=draw.pk).update(drawn_at=draw.drawn_at - dt.timedelta(minutes=31))  # half an hour later
    submit(secretary, "button[name=to][value=answering]")
    question = "Нормализация: 3NF мысалын келтіріңіз."
    secretary.fill("form[action$='/question/'] input[name=text]", question)
    submit(secretary, "form[action$='/question/'] button")
    submit(secretary, "button[name=to][value=finished]")
    assert question in secretary.inner_text("main")
    shot(secretary, "05-secretary-kk-oral-exam-finished")
    student.wait_for_selector("#exam-status[data-state=finished]")
    assert Attempt.objects.get(slot=oral_slot).state == "finished"

    master = people.go(defense_slot.student.user.username, f"/exam/{defense_slot.pk}/")
    master.wait_for_selector("#enter-button.btn-danger")
    people.go("secretary", f"/console/slots/{defense_slot.pk}/")
    identify_and_admit(secretary)
    master.wait_for_selector("#enter-button.btn-success")  # a defense has no tickets: the report starts
    assert not master.locator(".ticket-card").count()
    submit(secretary, "button[name=to][value=answering]")
    master.wait_for_selector("#exam-status[data-state=answering] .countdown")  # the speech and defense clocks
    shot(master, "06-master-defends")
    submit(secretary, "form[action$='/speech-end/'] button")
    submit(secretary, "button[name=to][value=finished]")
    assert "Сәйкестендіру" in secretary.inner_text("main")  # «Identification»
    shot(secretary, "07-secretary-kk-defense-finished")
    assert Attempt.objects.get(slot=defense_slot).state == "finished"


def refused(page, selector: str) -> str:
    """Clicks a form's button and returns the refusal the portal shows (there must be one)."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()
    refusals = page.locator("main > div[role=alert].alert-danger").all_inner_texts()
    assert refusals, "the portal was expected to refuse"
    return " ".join(refusals)


def identify_and_admit(secretary):
    """The desk: the identification checklist, the room check, then «Admit»."""
    for name in ("face_matches", "stated_name_and_group", "showed_original"):
        secretary.check(f"form[action$='/identify/'] input[name={name}]")
    submit(secretary, "form[action$='/identify/'] button")
    for name in ("alone", "devices_ok", "room_shown"):
        secretary.check(f"form[action$='/room-check/'] input[name={name}]")
    submit(secretary, "form[action$='/room-check/'] button")
    submit(secretary, "button[name=to][value=admitted]")


def grade(people, username, slot, points):
    member = people.go(username, f"/slots/{slot.pk}/")
    member.wait_for_selector("html[data-grade-form=ready]", state="attached")
    member.fill(f"#points-{slot.pk}", points)
    member.wait_for_selector(f"#preview-{slot.pk} .badge")  # the letter shows while typing, via htmx
    submit(member, f"form[action='/slots/{slot.pk}/grade/'] button")
    member.wait_for_selector(f"#graders-{slot.pk}")


def secretary_records_attendance(people, sitting_id):
    """Grading starts once the secretary has recorded who of the commission is present (the quorum)."""
    secretary = people.go("secretary", f"/sittings/{sitting_id}/results/")
    for box in secretary.locator(f"form[action='/sittings/{sitting_id}/attendance/'] input[name=present]").all():
        box.check()
    submit(secretary, f"form[action='/sittings/{sitting_id}/attendance/'] button")
    secretary.wait_for_selector("#attendance .badge.text-bg-success")


def members_grade_and_vote(people, oral_slot, defense_slot):
    """Three voting members grade both students; the defense's degree vote is a secret ballot
    (the commission's mode, from the policy), 2 for, 1 against."""
    secretary_records_attendance(people, defense_slot.sitting_id)
    secretary_records_attendance(people, oral_slot.sitting_id)
    shot(people["secretary"], "08-secretary-kk-recorded-attendance")
    for username, oral, defense in [("chair", "88", "93"), ("member", "84", "90"), ("member2", "91", "95")]:
        grade(people, username, oral_slot, oral)
        grade(people, username, defense_slot, defense)
    shot(people["member2"], "09-member-graded")
    assert MemberGrade.objects.filter(slot__in=[oral_slot, defense_slot]).count() == 6

    secretary = people.go("secretary", f"/slots/{defense_slot.pk}/")
    submit(secretary, f"form[action='/slots/{defense_slot.pk}/vote/'] button")
    voters = [("chair", "for"), ("member", "for"), ("member2", "against")]
    for username, _choice in voters:  # each member's browser makes its part of the key on opening the page
        people.go(username, f"/slots/{defense_slot.pk}/")
    for username, choice in voters:  # the joint key is ready once all three are in: the buttons come alive
        page = people[username]
        page.click(f"#vote-{defense_slot.pk} button[data-ballot-choice={choice}]:not([disabled])")
        page.wait_for_selector(f"#vote-{defense_slot.pk} [data-ballot-message]:text('Your vote is recorded.')")
    shot(people["member2"], "10-member-voted-secretly")
    people.go("secretary", f"/slots/{defense_slot.pk}/")
    submit(secretary, "form[action^='/votes/'][action$='/close/'] button")
    # the members' pages, still open, send their shares of the count; the secretary's page reloads with the result
    secretary.wait_for_selector(f"#vote-{defense_slot.pk} strong")
    for username, _choice in voters:
        people.fresh(username)
    shot(secretary, "11-secretary-kk-vote-counted")

    vote_round = VoteRound.objects.get(slot=defense_slot)
    assert (vote_round.mode, vote_round.votes_for, vote_round.votes_against) == ("secret", 2, 1)
    ballots = EncryptedBallot.objects.filter(round=vote_round)
    assert ballots.count() == 3 and all(len(b.a) == len(b.b) == 64 for b in ballots)  # ciphertexts only
    assert verify_transcript(vote_transcript(vote_round)).votes_for == 2  # the browsers' proofs check
    assert not OpenVote.objects.filter(round=vote_round).exists()


def chair_announces(people, oral_slot, defense_slot):
    for slot in (oral_slot, defense_slot):
        chair = people.go("chair", f"/sittings/{slot.sitting_id}/results/")
        submit(chair, f"form[action='/sittings/{slot.sitting_id}/announce/'] button")
    shot(chair, "12-chair-announced")
    announced = Result.objects.filter(slot__in=[oral_slot, defense_slot], announced_at__isnull=False)
    assert announced.count() == 2


def sign_in_browser(people, username, path, paper, stand_in) -> None:
    """The person presses «Sign with NCALayer» beside the paper on `path`; NCALayer (the stand-in) signs with their
    own key; waits until the portal has accepted the signature."""
    user = get_user_model().objects.get(username=username)
    stand_in.key = testca.person_for(testca.shared_ca(), user)
    page = people.go(username, path)
    page.click(f"[data-sign-url='/papers/{paper.pk}/sign/']")
    for _ in range(300):
        if Signature.objects.filter(paper=paper, signer=user).exists():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{username} could not sign {paper.kind}")


def chair_and_secretary_sign(people, oral_slot, stand_in):
    """The secretary draws up the documents; the secretary, then the chair sign the protocol with their own keys
    through NCALayer (the stand-in, driven by the production client); the chair's turn comes after the secretary's.
    The members, then the chair sign the grade sheet."""

    path = f"/sittings/{oral_slot.sitting_id}/documents/"
    secretary = people.go("secretary", path)
    submit(secretary, f"form[action='{path}draw-up/'] button")
    secretary.wait_for_selector("div[id^=job-] .alert-success")
    protocol = Paper.objects.get(kind="protocol", slot=oral_slot)
    for username in ("secretary", "chair"):
        sign_in_browser(people, username, path, protocol, stand_in)
        shot(people[username], f"13-{username}-kk-signed-protocol")
    assert list(Signature.objects.filter(paper=protocol).values_list("role", flat=True)) == ["secretary", "chair"]
    vedomost = Paper.objects.get(kind="vedomost", sitting_id=oral_slot.sitting_id)
    for username in ("member", "member2", "chair"):
        sign_in_browser(people, username, path, vedomost, stand_in)
    assert Signature.objects.filter(paper=vedomost).count() == 3
    return protocol


def registrar_verifies(people, protocol, tmp_path):
    """The registrar downloads the protocol from the registry and checks that very file on the verification page."""
    registrar = people.go("registrar", f"/registry/{protocol.commission.institution_id}/?kind=protocol")
    with registrar.expect_download() as download:
        registrar.click(f"a[href='/papers/{protocol.pk}/download/']")
    pdf = tmp_path / "protocol.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    shot(registrar, "14-registrar-registry")

    people.go("registrar", "/verify/")
    registrar.set_input_files("input[name=pdf]", str(pdf))
    submit(registrar, "form[enctype='multipart/form-data'] button")
    registrar.wait_for_selector("main .alert-success")
    assert "Valid" in registrar.inner_text("main .alert-success")  # intact, and both signers trusted
    assert registrar.locator("main table tbody tr").count() == 2
    shot(registrar, "15-registrar-verified-protocol")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "read.pdf"
    path.write_bytes(data)
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())


def the_pdf_tells_what_the_portal_recorded(data: bytes, paper, tmp_path) -> None:
    """The PDF's text names the students with the grade in force for each, names the people who sign it, and the
    file carries exactly the signatures the portal recorded (and they are intact)."""
    text = pdf_text(data, tmp_path)
    with translation.override(paper.document.language):
        slots = [paper.slot] if paper.slot_id else list(paper.sitting.slots.select_related("student"))
        for slot in slots:
            assert slot.student.full_name in text, (paper.kind, slot.student.full_name)
            result = Result.objects.filter(slot=slot).first()
            if result is not None:  # the grade in force (after any appeal), with its points
                points = f"{result.points:.2f}"
                assert result.letter in text and (points in text or points.replace(".", ",") in text), points
    signatures = list(Signature.objects.filter(paper=paper).select_related("signer").order_by("pk"))
    for signature in signatures:
        assert signature.signer.display_name in text, signature.signer.display_name
    report = pdf_verify(data)
    assert report["verdict"] == "valid" and len(report["signatures"]) == len(signatures), report["verdict"]


def registrar_reads_the_documents(people, oral_slot, tmp_path):
    """The registrar downloads the signed protocol and grade sheet from the registry; each says what was recorded."""
    institution = oral_slot.sitting.commission.institution_id
    for kind in ("protocol", "vedomost"):
        paper = Paper.objects.get(
            kind=kind, sitting_id=oral_slot.sitting_id, **({"slot": oral_slot} if kind == "protocol" else {})
        )
        registrar = people.go("registrar", f"/registry/{institution}/?kind={kind}")
        with registrar.expect_download() as download:
            registrar.click(f"a[href='/papers/{paper.pk}/download/']")
        pdf = tmp_path / f"registry-{kind}.pdf"
        download.value.save_as(pdf)
        the_pdf_tells_what_the_portal_recorded(pdf.read_bytes(), paper, tmp_path)


def secretary_hands_over_the_portfolio(people, oral_slot, tmp_path):
    """The secretary builds the commission's portfolio (R39) and downloads it: it holds exactly its index, only
    signed documents, each telling what the portal recorded."""
    commission = oral_slot.sitting.commission
    path = f"/commissions/{commission.pk}/documents/"
    secretary = people.go("secretary", path)
    submit(secretary, f"form[action='/commissions/{commission.pk}/portfolio/'] button")
    secretary.wait_for_selector("div[id^=job-] .alert-success a")
    shot(secretary, "15b-secretary-portfolio-built")
    with secretary.expect_download() as download:
        secretary.click("div[id^=job-] .alert-success a")
    archive = tmp_path / "portfolio.zip"
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as zipped:
        names = [n for n in zipped.namelist() if n != "index.csv"]
        index = list(csv.DictReader(io.StringIO(zipped.read("index.csv").decode())))
        assert [row["file"] for row in index] == names
        by_id = {p.pk.hex[:8]: p for p in Paper.objects.filter(commission=commission)}
        in_zip = {n.rsplit("-", 1)[-1][:8] for n in names if not n.startswith(("acts/", "id_copies/"))}
        oral = Paper.objects.filter(sitting_id=oral_slot.sitting_id).filter(
            Q(kind="protocol", slot=oral_slot) | Q(kind="vedomost")
        )
        assert {p.pk.hex[:8] for p in oral} <= in_zip  # the signed protocol and grade sheet are in it
        unsigned = [p for p in by_id.values() if not Signature.objects.filter(paper=p, role="chair").exists()]
        assert not {p.pk.hex[:8] for p in unsigned} & in_zip, "an unsigned document in the portfolio"
        for row in index:
            data = zipped.read(row["file"])
            assert hashlib.sha256(data).hexdigest() == row["sha256"]
            paper = by_id.get(row["file"].rsplit("-", 1)[-1][:8])
            if paper is not None and not row["file"].startswith("acts/"):
                the_pdf_tells_what_the_portal_recorded(data, paper, tmp_path)


def student_appeals(people, oral_slot):
    result = Result.objects.get(slot=oral_slot)
    student = people.go("student2", f"/slots/{oral_slot.pk}/")
    student.wait_for_selector("#result")
    assert result.letter in student.inner_text("#result")
    assert "Результат" in student.inner_text("#result")
    people.go("student2", "/appeals/my/")
    assert "Мои результаты и апелляции" in student.inner_text("main h1")
    shot(student, "16-student-ru-sees-result")
    with student.expect_navigation():
        student.click(f"a[href='/appeals/results/{result.pk}/file/']")
    student.fill("textarea[name=reasons]", "Считаю, что ответ на второй вопрос оценён ниже, чем он заслуживает.")
    submit(student, "main form button[type=submit]")
    shot(student, "17-student-ru-appealed")
    return Appeal.objects.get(result=result)


def appeal_commission_answers(people, appeal):
    """The appeal chair records the hearing (now); the three members vote at it; the last vote decides and answers
    the student."""
    path = f"/appeals/{appeal.pk}/"
    chair = people.go("appeal-chair", path)
    hearing = timezone.localtime(timezone.now())  # the hearing is now; the settings' zone (no institution staff)
    chair.fill("input[name=hearing_at]", hearing.strftime("%Y-%m-%dT%H:%M"))
    chair.fill("input[name=url]", "https://zoom.us/j/4100000999")
    submit(chair, "button[name=hearing]")
    for username in ("appeal-chair", "appeal-member", "appeal-member2"):
        page = people.go(username, path)
        page.check("input[name=outcome][value=upheld]")
        page.fill("textarea[name=note]", "Бағалау критерийлерге сәйкес.")
        submit(page, "button[name=vote]")
    shot(people["appeal-member2"], "18-appeal-commission-decided")
    appeal.refresh_from_db()
    assert (appeal.state, appeal.outcome) == (Appeal.State.ANSWERED, Appeal.Outcome.UPHELD)

    student = people.go("student2", path)
    assert "Решение" in student.inner_text("main")  # «Decision», with the outcome beside it
    shot(student, "19-student-ru-reads-the-answer")
