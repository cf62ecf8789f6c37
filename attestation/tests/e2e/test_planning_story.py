"""Planning in the browser, issue 15: from a new institution to a published timetable a student sees.

The administrator imports the students from a CSV file; a member declares a day they cannot sit; the secretary
(in Kazakh) proposes the timetable, has a move onto a Saturday refused with the rule named, locks a student,
re-solves, publishes; the student (in Russian) finds the date in the cabinet and the calendar file. No /admin/ page
is opened: every request the browsers make is checked. The platform operator opens the institution on its page and
invites the administrator; the administrator follows the e-mailed link, sees the getting-started list, builds the
structure (department, programme, group, attestation period), invites the chair, the member and the secretary (each
follows their link and sets a password) and forms the commission; every step is a click.
Screenshots: artifacts/e2e/plan-*.png (ignored by git).
"""

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from attestation.accounts.models import User
from attestation.institutions.models import Institution, Staff, Student
from attestation.tests.factories import UserFactory, valid_iin
from attestation.workcal.calendar import working_days
from commissions.models import Commission, Slot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "artifacts" / "e2e"
PASSWORD = "plan-story-2026"  # noqa: S105 - a test password


@pytest.fixture
def plain_http(settings, tmp_path):
    """Plain-HTTP cookies for the live server; uploads in a temporary folder."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


STAFF = {
    "inst-admin": ("Әкімова", "Әсел", "admin@new-u.example.kz"),
    "chair": ("Төрағаев", "Нұрлан", "chair@new-u.example.kz"),
    "member": ("Мүшеева", "Гүлнар", "member@new-u.example.kz"),
    "secretary": ("Хатшыева", "Дана", "secretary@new-u.example.kz"),
}


def invitation_link(email: str) -> str:
    """The newest invitation e-mailed to the address (Django's test outbox), as the person would click it."""
    letters = [m for m in mail.outbox if m.to == [email]]
    assert letters, f"no invitation was e-mailed to {email}"
    return re.search(r"https?://\S+/accounts/staff-invitation/\S+/", letters[-1].body).group(0)


def operator_opens_the_institution(people) -> dict:
    """The platform operator (a superuser) opens the institution and invites its administrator, on the portal's page;
    the administrator follows the e-mailed link and sets a password."""
    today = timezone.localdate()
    operator = UserFactory(username="operator", is_superuser=True, is_staff=True)
    operator.set_password(PASSWORD)
    operator.save()
    page = people.go("operator", "/")
    click(page, "[data-test=institution-new]")
    last, first, email = STAFF["inst-admin"]
    fill(
        page,
        {
            "name_kk": "Жаңа университет",
            "name_ru": "Новый университет",
            "short_name": "NEW-U",
            "admin_last_name": last,
            "admin_first_name": first,
            "admin_email": email,
        },
    )
    page.locator("[name=kind]").select_option(value="hei")
    click(page, "form[novalidate] button[type=submit]")
    shot(page, "00-operator-opens-kk")
    institution = Institution.objects.get(short_name="NEW-U")
    people.accept("inst-admin", invitation_link(email))
    days = working_days(today + dt.timedelta(days=7), today + dt.timedelta(days=40))
    year = today.year if today.month >= 9 else today.year - 1
    return {"institution": institution, "days": days, "year": year}


def administrator_invites_staff(people, data) -> None:
    """The administrator invites the chair, the member and the secretary with their roles; each follows the link."""
    pk = data["institution"].pk
    roles = {"chair": "chair", "member": "member", "secretary": "secretary"}
    for name, role in roles.items():
        last, first, email = STAFF[name]
        admin = people.go("inst-admin", f"/institutions/{pk}/staff/")
        fill(admin, {"last_name": last, "first_name": first, "email": email, "position": "доцент"})
        admin.locator("[name=department]").select_option(index=1)
        admin.locator(f"[name=roles][value={role}]").check()
        click(admin, "[data-test=invite-form] button[type=submit]")
    shot(admin, "00-staff-invited-kk")
    for name in roles:
        people.accept(name, invitation_link(STAFF[name][2]))
    assert Staff.objects.filter(institution=data["institution"]).count() == 4


def fill(page, values: dict) -> None:
    """Fills a form: text and date inputs by name, selects by the option's visible text."""
    for name, value in values.items():
        field = page.locator(f"[name={name}]").first
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value) if not value.isdigit() else field.select_option(value=value)
        else:
            field.fill(value)


def administrator_builds_the_structure(people, data) -> None:
    """Department, programme, group and attestation period through the administrator's structure pages."""
    pk, days = data["institution"].pk, data["days"]
    admin = people.go("inst-admin", f"/institutions/{pk}/structure/department/new/")
    fill(admin, {"name_kk": "Информатика кафедрасы", "name_ru": "Кафедра информатики"})
    click(admin, "form[novalidate] button[type=submit]")
    admin.goto(f"{people.url}/institutions/{pk}/structure/programme/new/")
    fill(admin, {"code": "6B06102", "name_kk": "Бағдарламалық инженерия", "name_ru": "Программная инженерия"})
    admin.locator("[name=level]").select_option(index=1)
    admin.locator("[name=department]").select_option(index=1)
    click(admin, "form[novalidate] button[type=submit]")
    admin.goto(f"{people.url}/institutions/{pk}/structure/group/new/")
    fill(admin, {"name": "ПИ-22-1"})
    admin.locator("[name=programme]").select_option(index=1)
    admin.locator("[name=study_language]").select_option(value="kk")
    click(admin, "form[novalidate] button[type=submit]")
    admin.goto(f"{people.url}/institutions/{pk}/structure/period/new/")
    fill(
        admin,
        {
            "academic_year": str(data["year"]),
            "name_kk": "Қорытынды аттестаттау",
            "name_ru": "Итоговая аттестация",
            "starts_on": days[0].isoformat(),
            "ends_on": days[-1].isoformat(),
        },
    )
    click(admin, "form[novalidate] button[type=submit]")
    shot(admin, "00-structure")


def administrator_forms_the_commission(people, data) -> int:
    """The commission on the administrator's page, from the staff who accepted their invitations; returns its id."""
    pk = data["institution"].pk
    users = {name: User.objects.get(email=STAFF[name][2]) for name in ("chair", "member", "secretary")}
    admin = people.go("inst-admin", f"/institutions/{pk}/commissions/new/")
    fill(
        admin,
        {
            "name_kk": "6B06102 комиссиясы",
            "name_ru": "Комиссия 6B06102",
            "order_number": "7-Б",
            "order_date": timezone.localdate().isoformat(),
        },
    )
    admin.locator("[name=form]").select_option(value="complex_exam")
    admin.locator("[name=period]").select_option(index=1)
    admin.locator("[name=programmes]").first.check()
    admin.locator("[name=chair]").select_option(value=str(users["chair"].pk))
    admin.locator(f"[name=members][value='{users['member'].pk}']").check()
    admin.locator("[name=secretary]").select_option(value=str(users["secretary"].pk))
    click(admin, "form[novalidate] button[type=submit]")
    commission = Commission.objects.get(institution=data["institution"])
    assert commission.memberships.count() == 3
    return commission.pk


def students_csv(path: Path, n: int) -> Path:
    lines = ["IIN,Surname (kk),First name (kk),Surname (ru),First name (ru),Group,Study language"]
    for i in range(n):
        lines.append(f"{valid_iin()},Сейітов,Студент{i:02d},Сеитов,Студент{i:02d},ПИ-22-1,kk")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


class Browsers:
    """One context per person; every request is remembered so the test can say no /admin/ page was opened."""

    def __init__(self, browser, url):
        self.browser, self.url, self.pages, self.requested = browser, url, {}, []

    def _page(self, lang="kk", width=1280):
        context = self.browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
        context.add_cookies([{"name": "django_language", "value": lang, "url": self.url}])
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.on("request", lambda request: self.requested.append(request.url))
        return page

    def accept(self, name, link):
        """The invited person opens the e-mailed link in their own browser and sets a password: signed in."""
        page = self._page()
        page.goto(link)
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
        click(page, "form:has(input[name=password1]) button[type=submit]")
        assert "/accounts/staff-invitation/" not in page.url, page.content()
        self.pages[name] = page
        return page

    def go(self, username, path, lang="kk", width=1280):
        if username not in self.pages:
            page = self._page(lang, width)
            page.goto(f"{self.url}/accounts/login/?{urlencode({'next': path})}")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("form[method=post] button[type=submit].w-100")
            page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))
            self.pages[username] = page
        else:
            self.pages[username].goto(f"{self.url}{path}")
        return self.pages[username]


def click(page, selector: str) -> str:
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()
    return " ".join(page.locator("div[role=alert], .alert").all_inner_texts())


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"plan-{name}.png"), full_page=True)


def test_from_a_new_institution_to_a_timetable_the_student_sees(live_server, browser, plain_http):
    people = Browsers(browser, live_server.url)
    data = operator_opens_the_institution(people)
    days = data["days"]
    admin = people.pages["inst-admin"]
    admin.goto(f"{people.url}/")
    assert admin.locator("[data-test=getting-started] [data-done='0']").count() == 5  # only the policy is there
    shot(admin, "00-getting-started-kk")
    administrator_builds_the_structure(people, data)
    administrator_invites_staff(people, data)
    commission = Commission.objects.get(pk=administrator_forms_the_commission(people, data))

    admin = people.go("inst-admin", f"/institutions/{data['institution'].pk}/import-students/")
    admin.set_input_files("input[type=file]", str(students_csv(plain_http / "students.csv", 20)))
    assert "20" in click(admin, "form[enctype] button[type=submit]")  # the check: nothing is written yet
    assert Student.objects.filter(institution=data["institution"]).count() == 0
    assert "20" in click(admin, "form[action$='/import/'] button[type=submit]")
    assert Student.objects.filter(institution=data["institution"]).count() == 20

    member = people.go("member", "/my/unavailable/")
    member.fill("input[name=date]", days[0].isoformat())
    click(member, "form[method=post] button.btn-primary")
    shot(member, "01-member-day-off")

    secretary = people.go("secretary", f"/commissions/{commission.pk}/")
    click(secretary, "[data-test=plan-link]")
    click(secretary, "[data-test=propose]")
    assert secretary.locator("[data-test=placement]").count() == 20
    assert days[0].strftime("%d.%m") not in secretary.locator(".plan-chart").inner_text()
    shot(secretary, "02-proposed-kk")

    saturday = next(days[0] + dt.timedelta(days=i) for i in range(7) if (days[0] + dt.timedelta(days=i)).weekday() == 5)
    first = secretary.locator("[data-test=placement]").first
    first.locator("input[name=date]").fill(saturday.isoformat())
    refusal = click(secretary, "[data-test=placement] >> nth=0 >> button.btn-outline-primary")
    assert saturday.strftime("%d.%m.%Y") in refusal
    shot(secretary, "03-move-refused-kk")

    locked_name = secretary.locator("[data-test=placement]").nth(1).locator("td").nth(1).inner_text()
    click(secretary, "[data-test=placement] >> nth=1 >> [data-test=lock]")
    click(secretary, "[data-test=propose]")
    assert secretary.locator("[data-test=placement]", has_text=locked_name).locator(".btn-warning").count() == 1
    click(secretary, "[data-test=publish]")
    shot(secretary, "04-published-kk")
    assert Slot.objects.filter(sitting__commission=commission).count() == 20

    student = Student.objects.filter(institution=data["institution"]).order_by("pk").first()
    student.user.set_password(PASSWORD)
    student.user.save()
    slot = Slot.objects.get(student=student)
    mine = people.go(student.user.username, "/my/schedule/", lang="ru", width=390)
    text = mine.locator("main").inner_text()
    assert "Комиссия 6B06102" in text
    assert timezone.localtime(slot.starts_at).strftime("%H:%M") in text
    shot(mine, "05-student-cabinet-ru")
    ics = mine.request.get(f"{live_server.url}/my/schedule.ics").text()
    assert "BEGIN:VEVENT" in ics

    opened_admin = [url for url in people.requested if "/admin/" in url]
    assert opened_admin == []
