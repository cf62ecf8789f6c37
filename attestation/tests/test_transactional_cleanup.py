"""The clean-up after a transactional test (attestation/tests/transactional.py), tested by three transactional tests that
pytest runs in this order: the first leaves rows in many tables, the second finds every table empty and the content
types and permissions with the very rows (and ids) they had, then damages them, and the third finds them whole again
(under pytest-xdist the three run together in one process: attestation/tests/together.py). Each passes on its own too
(the parts that need the one before are skipped then)."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from attestation.tests import transactional
from attestation.tests.factories import World
from attestation.workcal.models import CalendarOverride

pytestmark = pytest.mark.django_db(transaction=True)
SHIPPED_BY_THE_MIGRATIONS = "workcal_calendaroverride"  # the 2020 transfers (workcal 0002), emptied by any flush
_left: dict = {}


def _tables_with_rows() -> set[str]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return set(transactional.tables_with_rows("default", tables))


def _content_types_and_permissions_of_the_models() -> tuple[set, set]:
    """What post_migrate writes for the installed models (no more, no less)."""
    content_types, permissions = set(), set()
    for model in apps.get_models():
        opts = model._meta
        content_types.add((opts.app_label, opts.model_name))
        codenames = {f"{action}_{opts.model_name}" for action in opts.default_permissions}
        permissions |= {(opts.app_label, codename) for codename in codenames | {c for c, _name in opts.permissions}}
    return content_types, permissions


def _content_types_and_permissions_in_the_database() -> tuple[set, set]:
    return (
        set(ContentType.objects.values_list("app_label", "model")),
        set(Permission.objects.values_list("content_type__app_label", "codename")),
    )


def test_a_transactional_test_starts_with_empty_tables_and_leaves_rows_in_many():
    assert _tables_with_rows() <= {*transactional.KEPT_TABLES, SHIPPED_BY_THE_MIGRATIONS}
    assert not CalendarOverride.objects.exclude(institution=None).exists()
    world = World.build()
    group = Group.objects.create(name="left by the first test")
    # A row that points at a kept table:
    group.permissions.add(Permission.objects.get(content_type__app_label="auth", codename="view_group"))
    world.chair.groups.add(group)
    CalendarOverride.objects.create(institution=world.institution, date="2020-05-07", kind="day_off", note="left")
    left = _tables_with_rows() - set(transactional.KEPT_TABLES)
    assert len(left) > 20
    _left.update(tables=left, kept=transactional.kept_rows("default"), fast=transactional.Counts.fast)


def test_the_next_one_finds_every_table_empty_and_the_content_types_and_permissions_unchanged():
    assert _tables_with_rows() <= set(transactional.KEPT_TABLES)
    if not _left:
        pytest.skip("needs the test above to run first")
    # The same rows, ids included: no TRUNCATE and no post_migrate wrote them again (Django's flush would have).
    assert transactional.kept_rows("default") == _left["kept"]
    assert transactional.Counts.fast > _left["fast"]
    _left.update(full=transactional.Counts.full)
    # Damage them: the clean-up must notice and leave them as post_migrate writes them.
    Permission.objects.get(content_type__app_label="auth", codename="view_group").delete()
    stray = ContentType.objects.create(app_label="accounts", model="stray")
    Permission.objects.create(content_type=stray, codename="touch_stray", name="Can touch the stray")
    Permission.objects.filter(content_type__app_label="auth", codename="add_group").update(name="Renamed by the second test")


def test_a_damaged_content_type_or_permission_is_whole_again_in_the_next_test():
    assert _tables_with_rows() <= set(transactional.KEPT_TABLES)
    assert _content_types_and_permissions_in_the_database() == _content_types_and_permissions_of_the_models()
    assert Permission.objects.get(content_type__app_label="auth", codename="add_group").name == "Can add group"
    if "full" in _left:
        assert transactional.Counts.full > _left["full"]  # Django's own flush cleaned up after the damage
