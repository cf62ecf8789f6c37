import pytest
from django.core.management import call_command

from commissions.models import EncryptedBallot, MemberGrade, Result, VoteRound

pytestmark = pytest.mark.django_db


def test_seed_demo_results_is_safe_to_run_twice(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    call_command("seed_demo_results")
    grades, results = MemberGrade.objects.count(), Result.objects.filter(announced_at__isnull=False).count()
    assert grades > 0 and results > 0
    call_command("seed_demo_results")
    assert MemberGrade.objects.count() == grades
    assert Result.objects.filter(announced_at__isnull=False).count() == results
    assert EncryptedBallot.objects.exists()  # the master's defense votes by secret ballot (the default policy)
    assert not VoteRound.objects.filter(mode="secret", closed_at__isnull=True).exists()  # every one counted
