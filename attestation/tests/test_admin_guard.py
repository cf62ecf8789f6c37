"""/admin/ never saves what the portal refuses (attestation/core/admin_guard.py): every registered ModelAdmin's add
and change forms are posted a payload that breaks the model's rule and must refuse it — read-only models with 403,
the others with the form's errors — and nothing is written. The appeal commission goes through its service."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse

from appeals.models import AppealCommission, AppealMember
from attestation.accounts.models import User
from attestation.core.models import AuditEvent
from attestation.institutions import services as institution_services
from attestation.institutions.models import (
    AttestationPeriod,
    Department,
    DepartmentHead,
    Discipline,
    Faculty,
    Group,
    Institution,
    InstitutionAdmin,
    Programme,
    Registrar,
    Staff,
)
from attestation.tests import matrix_objects
from attestation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
OURS = ("attestation.", "commissions.", "exams.", "appeals.", "proctoring.", "api.", "portal.")


@pytest.fixture
def objs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return matrix_objects.build()


@pytest.fixture
def superuser():
    return UserFactory(username="root-b22", is_staff=True, is_superuser=True)


@pytest.fixture
def root(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(model, view: str, *args) -> str | None:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None


def _refused(response) -> bool:
    """403, or the form shown again with its errors (Django's admin re-renders with status 200 on invalid input)."""
    if response.status_code == 403:
        return True
    context = response.context
    return (
        response.status_code == 200
        and context is not None
        and bool(context.get("errors") or (context.get("adminform") and context["adminform"].form.errors))
    )


def _as_post(obj) -> dict:
    """The row's own values as a form would post them: a real, non-empty payload."""
    data = {}
    for name, value in model_to_dict(obj).items():
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif value is not None and not hasattr(value, "read"):
            data[name] = getattr(value, "pk", value)
    return data


@dataclass
class Breach:
    """A payload that breaks the model's rule on the add form and on the change form, and what the refusal says."""

    add: dict | None
    change: dict | None
    says: str
    row: object = None  # the row the change form edits (the model's first row if None)
    says_on_change: str = ""  # when the change form breaks another rule than the add form


def _other_institution():
    other = institution_services.institution_create(
        actor=None, kind="hei", short_name="OTHER-B22", name_kk="Басқа", name_ru="Другой", academic_year=2019
    )
    faculty = Faculty.objects.create(institution=other, name_kk="Басқа факультет", name_ru="Другой факультет")
    return other, faculty, Department.objects.create(institution=other, faculty=faculty, name_kk="Б", name_ru="Д")


def _breaches(objs) -> dict[type, Breach]:
    """One payload per editable model, each breaking the rule its service checks (not an empty form)."""
    w = objs["world"]
    other, other_faculty, other_department = _other_institution()
    faculty = Faculty.objects.create(institution=w.institution, name_kk="Факультет", name_ru="Факультет")
    period = AttestationPeriod.objects.create(
        institution=w.institution,
        academic_year=2019,
        name_kk="Қорытынды",
        name_ru="Итоговая",
        starts_on=dt.date(2020, 5, 12),
        ends_on=dt.date(2020, 6, 30),
    )
    discipline = Discipline.objects.filter(institution=w.institution).first()
    appeal_member = objs["appeal_commission"].members.first().user
    staff = Staff.objects.create(user=appeal_member, institution=w.institution, position="Доцент")
    names = {"name_kk": "Жаңа", "name_ru": "Новый", "name_en": ""}
    institution_fields = {
        "kind": "hei",
        "short_name": "TEST",  # another institution's short name: unique (R9: one institution, one name)
        "name_kk": "Екінші",
        "name_ru": "Второй",
        "time_zone": "Asia/Almaty",
        "academic_year": 2019,
    }
    head_row = DepartmentHead.objects.get(department=w.department)
    registrar_row = Registrar.objects.filter(institution=w.institution).first()
    admin_row = InstitutionAdmin.objects.filter(institution=w.institution).first()
    return {
        Institution: Breach(
            add=institution_fields,
            change={**_as_post(w.institution), "short_name": "OTHER-B22"},
            says="already exists",
            row=w.institution,
        ),
        Faculty: Breach(
            add={"institution": w.institution.pk, "name_kk": "", "name_ru": "Без казахского"},
            change={"name_kk": "", "name_ru": "Без казахского"},
            says="This field is required",
            row=faculty,
        ),
        Department: Breach(
            add={"institution": w.institution.pk, "faculty": other_faculty.pk, **names},
            change={**names, "faculty": other_faculty.pk},
            says="The faculty belongs to another institution.",
            row=w.department,
        ),
        Programme: Breach(
            add={"department": w.department.pk, "code": w.programme.code, "level": "bachelor", **names},
            change={**_as_post(faculty_free_programme(w)), "code": w.programme.code},
            says="already exists",
            row=faculty_free_programme(w),
        ),
        Group: Breach(
            add={"programme": w.programme.pk, "name": w.group.name, "study_language": "kk"},
            change={**_as_post(second_group(w)), "name": w.group.name},
            says="already exists",
            row=second_group(w),
        ),
        Discipline: Breach(
            add={**_as_post(discipline), "id": ""},
            change={**_as_post(second_discipline(w)), "code": discipline.code},
            says="already exists",
            row=second_discipline(w),
        ),
        AttestationPeriod: Breach(
            add={**_as_post(period), "starts_on": "2020-07-01", "ends_on": "2020-06-01"},
            change={**_as_post(period), "starts_on": "2020-07-01", "ends_on": "2020-06-01"},
            says="The period must end after it starts.",
            row=period,
        ),
        Staff: Breach(
            add={
                "user": UserFactory(username="staff-b22").pk,
                "institution": w.institution.pk,
                "department": other_department.pk,
                "position": "Лаборант",
                "roles": "[]",
            },
            change={**_as_post(staff), "roles": "[]", "is_administrative": "on"},  # R8: sits on an appeal commission
            says="The department belongs to another institution.",
            says_on_change="administrative staff may not sit on one",
            row=staff,
        ),
        DepartmentHead: Breach(
            add={"department": w.department.pk, "user": w.head.pk},
            change={"department": w.department.pk, "user": second_head(w).user_id},
            says="already exists",
            row=head_row,
        ),
        Registrar: Breach(
            add={"institution": w.institution.pk, "user": registrar_row.user_id},
            change={"user": Registrar.objects.create(institution=w.institution, user=w.head).user_id},
            says="already exists",
            row=registrar_row,
        ),
        InstitutionAdmin: Breach(
            add={"institution": w.institution.pk, "user": admin_row.user_id},
            change={"user": InstitutionAdmin.objects.create(institution=w.institution, user=w.head).user_id},
            says="already exists",
            row=admin_row,
        ),
        User: Breach(
            add={
                "username": "new-b22",
                "usable_password": "true",
                "password1": "Aq1-long-enough-pass",
                "password2": "Aq1-long-enough-pass",
                "iin": "900101300001",  # twelve digits, wrong check digit: no signature could ever match it
            },
            change={**_user_post(w.chair), "iin": "900101300001"},
            says="check digit is wrong",
            row=w.chair,
        ),
        AppealCommission: Breach(
            add=_appeal_commission_payload(
                objs,
                [
                    (UserFactory(username="even-b22-0"), AppealMember.Role.CHAIR),
                    (UserFactory(username="even-b22-1"), AppealMember.Role.MEMBER),
                ],
            ),
            change=None,  # 403: its composition is the order's
            says="odd number",
        ),
    }


def faculty_free_programme(w):
    return Programme.objects.get_or_create(
        department=w.department, code="6B06199", defaults={"level": "bachelor", "name_kk": "Екі", "name_ru": "Два"}
    )[0]


def second_group(w):
    return Group.objects.get_or_create(programme=w.programme, name="ИС-19-2", defaults={"study_language": "ru"})[0]


def second_discipline(w):
    return Discipline.objects.get_or_create(
        institution=w.institution, code="B22-2", defaults={"name_kk": "Пән", "name_ru": "Дисциплина", "category": "basic"}
    )[0]


def second_head(w):
    other = UserFactory(username="head-b22")
    return DepartmentHead.objects.get_or_create(department=w.department, user=other)[0]


def _user_post(user) -> dict:
    data = {k: v for k, v in _as_post(user).items() if k not in ("password", "groups", "user_permissions")}
    data.update({"date_joined_0": "2020-01-01", "date_joined_1": "09:00:00", "last_login_0": "", "last_login_1": ""})
    for name in ("date_joined", "last_login"):
        data.pop(name, None)
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


def _snapshot(model) -> list:
    return [model_to_dict(obj) for obj in model._default_manager.order_by("pk")]


def test_every_model_admin_refuses_a_payload_that_breaks_its_rule(objs, root, superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    breaches = _breaches(objs)
    walked = []
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith(OURS):
            continue  # Django's and django-axes' own tables
        row = model._default_manager.first()
        breach = breaches.get(model)
        if breach is None:  # shown read-only: a real payload (the row's own values) is refused with 403
            assert not model_admin.has_add_permission(request), f"{model.__name__}: editable without a breach here"
            assert not model_admin.has_change_permission(request, row), f"{model.__name__}: editable"
            payload = _as_post(row) if row is not None else {"id": "1"}
            posts = [(_url(model, "add"), payload, "")]
            posts += [(_url(model, "change", row.pk), payload, "")] if row else []
        else:
            row = breach.row or row
            posts = [
                (_url(model, "add"), breach.add, breach.says),
                (_url(model, "change", row.pk), breach.change or _as_post(row), breach.says_on_change or breach.says),
            ]
        for url, payload, says in posts:
            if url is None:
                continue
            before, audit = _snapshot(model), AuditEvent.objects.count()
            response = root.post(url, payload)
            assert _refused(response), f"{model.__name__} {url}: accepted ({response.status_code})"
            if says and response.status_code == 200:
                assert says in response.content.decode(), f"{model.__name__} {url}: no «{says}»"
            assert _snapshot(model) == before, f"{model.__name__} {url}: a row was written"
            assert AuditEvent.objects.count() == audit, model.__name__
        walked.append(model.__name__)
    assert {m.__name__ for m in breaches} <= set(walked)
    assert {"AppealCommission", "Appeal", "Policy", "Student", "AuditEvent", "Document", "Slot"} <= set(walked)
    assert {"GradeScale", "CalendarOverride", "Institution", "Staff", "User", "AttestationPeriod"} <= set(walked)


def _appeal_commission_payload(objs, members: list[tuple]) -> dict:
    w = objs["world"]
    data = {
        "institution": w.institution.pk,
        "academic_year": w.commission.academic_year,
        "name_kk": "Апелляциялық комиссия (әкімші)",
        "name_ru": "Апелляционная комиссия (админ)",
        "name_en": "",
        "order_number": "A-77",
        "order_date": "2026-05-02",
        "commissions": [w.commission.pk],
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for i, (user, role) in enumerate(members):
        data[f"members-{i}-user"] = user.pk
        data[f"members-{i}-role"] = role
    return data


def test_an_appeal_commission_added_in_admin_gets_the_services_check_message_and_audit(objs, root):
    w = objs["world"]
    outsiders = [UserFactory(username=f"appeal-b22-{i}") for i in range(3)]
    registrar = UserFactory(username="registrar-b22")
    Staff.objects.create(user=registrar, institution=w.institution, position="Тіркеуші", is_administrative=True)
    chair, member = AppealMember.Role.CHAIR, AppealMember.Role.MEMBER
    count = AppealCommission.objects.count()
    add = reverse("admin:appeals_appealcommission_add")
    refusals = {
        "odd number": [(outsiders[0], chair), (outsiders[1], member)],
        "sits on the attestation commission": [(outsiders[0], chair), (outsiders[1], member), (w.member, member)],
        "administrative staff": [(outsiders[0], chair), (outsiders[1], member), (registrar, member)],
    }
    for words, members in refusals.items():
        response = root.post(add, _appeal_commission_payload(objs, members))
        assert response.status_code == 200 and words in response.content.decode(), words
        assert AppealCommission.objects.count() == count
    response = root.post(
        add, _appeal_commission_payload(objs, [(u, chair if i == 0 else member) for i, u in enumerate(outsiders)])
    )
    assert response.status_code == 302
    made = AppealCommission.objects.get(order_number="A-77")
    assert made.members.count() == 3 and list(made.commissions.all()) == [w.commission]
    assert AuditEvent.objects.filter(verb="appeal_commission.create", object_id=str(made.pk)).exists()
    change = reverse("admin:appeals_appealcommission_change", args=[made.pk])
    assert root.post(change, _appeal_commission_payload(objs, [(outsiders[0], chair)])).status_code == 403


def _event(verb: str, obj) -> AuditEvent:
    return AuditEvent.objects.get(verb=verb, object_id=str(obj.pk))


def test_admin_edits_go_through_the_services_and_land_in_the_audit_trail(world, root, superuser):
    """Issue 20: who, what, before and after — written by the services' own audit_record."""
    w = world
    change = reverse("admin:institutions_department_change", args=[w.department.pk])
    response = root.post(change, {"name_kk": "Ақпараттық жүйелер кафедрасы", "name_ru": "Кафедра ИС", "name_en": ""})
    assert response.status_code == 302
    event = _event("department.update", w.department)
    assert event.actor == superuser
    assert event.before["name_kk"] == "Кафедра" and event.after["name_kk"] == "Ақпараттық жүйелер кафедрасы"

    response = root.post(
        reverse("admin:institutions_institution_add"),
        {
            "kind": "tvet",
            "short_name": "NEW-B22",
            "name_kk": "Жаңа колледж",
            "name_ru": "Новый колледж",
            "time_zone": "Asia/Aqtobe",
            "academic_year": 2019,
        },
    )
    assert response.status_code == 302
    made = Institution.objects.get(short_name="NEW-B22")
    assert made.policies.get().academic_year == 2019 and made.grade_scales.get().uses_five_point
    assert _event("institution.create", made).actor == superuser

    staff_user = UserFactory(username="staff-ok-b22")
    response = root.post(
        reverse("admin:institutions_staff_add"),
        {
            "user": staff_user.pk,
            "institution": w.institution.pk,
            "department": w.department.pk,
            "position": "Доцент",
            "roles": "[]",
        },
    )
    assert response.status_code == 302
    staff = Staff.objects.get(user=staff_user)
    assert _event("staff.create", staff).after["position"] == "Доцент"

    response = root.post(
        reverse("admin:accounts_user_change", args=[w.chair.pk]), {**_user_post(w.chair), "iin": "900101300007"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = _event("user.update", w.chair)
    assert event.actor == superuser and event.before["iin"] == "" and event.after["iin"] == "900101300007"
    assert "password" not in event.before and "pbkdf2" not in str(event.after)

    response = root.post(
        reverse("admin:auth_user_password_change", args=[w.chair.pk]),
        {"password1": "Aq1-long-enough-pass", "password2": "Aq1-long-enough-pass", "usable_password": "true"},
    )
    assert response.status_code == 302
    assert _event("user.password_set", w.chair).after == {"password": "changed"}


def test_admin_deletes_a_row_only_through_the_delete_service(world, root, superuser):
    w = world
    faculty = Faculty.objects.create(institution=w.institution, name_kk="Факультет", name_ru="Факультет")
    Department.objects.filter(pk=w.department.pk).update(faculty=faculty)
    delete = reverse("admin:institutions_faculty_delete", args=[faculty.pk])
    response = root.post(delete, {"post": "yes"}, follow=True)
    assert "cannot be deleted while these depend on it" in response.content.decode()
    assert Faculty.objects.filter(pk=faculty.pk).exists()
    assert not AuditEvent.objects.filter(verb="faculty.delete").exists()
    Department.objects.filter(pk=w.department.pk).update(faculty=None)
    assert root.post(delete, {"post": "yes"}).status_code == 302
    assert not Faculty.objects.filter(pk=faculty.pk).exists()
    assert AuditEvent.objects.get(verb="faculty.delete").actor == superuser
    changelist = root.get(reverse("admin:institutions_faculty_changelist"))
    assert "delete_selected" not in changelist.content.decode()
