"""The applications app's answers to the core's signals."""

from django.dispatch import receiver

from attestation.institutions.models import Policy
from attestation.institutions.services import policy_saved
from exams.applications.incompletes import policy_cutoff_ensure


@receiver(policy_saved, sender=Policy, dispatch_uid="applications_policy_cutoff")
def policy_cutoff_follow(*, policy: Policy, **_kwargs) -> None:
    """R43: the cutoff deadline exists from the day the policy does and moves with its date."""
    policy_cutoff_ensure(policy)
