import pytest
from django.core.management import call_command

from exams.yearend.models import Accommodation, DiplomaRequest, Transfer

pytestmark = pytest.mark.django_db


def test_the_demo_year_end_has_a_sent_transfer_a_diploma_request_and_an_accommodation_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    transfer = Transfer.objects.get()
    assert transfer.state == Transfer.State.DONE and transfer.items.filter(kind="id_copy").exists()
    assert DiplomaRequest.objects.get().graduates == transfer.items.filter(kind="id_copy").count()
    assert Accommodation.objects.filter(student__user__username="student17").exists()
    call_command("seed_demo_yearend")
    assert (Transfer.objects.count(), DiplomaRequest.objects.count()) == (1, 1)
