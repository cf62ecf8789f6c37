"""What happens when an appeal's deadline comes due: warn the appeal commission, escalate to the institution."""

from django.urls import reverse

from appeals.models import Appeal
from appeals.services import AMEND_DOCUMENTS, ANSWER_DUE, HEARING_MISSED, HEARING_WARN, WINDOW_CLOSE, appeal_amend_documents
from attestation.core.deadlines import deadline_handler
from attestation.core.models import Deadline
from attestation.core.notifications import notify
from attestation.institutions.models import InstitutionAdmin
from commissions.models import Result


def _appeal(deadline: Deadline) -> Appeal | None:
    return (
        Appeal.objects.select_related("appeal_commission__institution", "result__slot__student")
        .filter(pk=deadline.object_id)
        .first()
    )


def _send(appeal: Appeal, users, template: str, kind: str) -> None:
    url = reverse("appeals:detail", args=[appeal.pk])
    for user in users:
        notify(user=user, kind=kind, template=template, context={"appeal": appeal}, url=url)


@deadline_handler(HEARING_WARN)
def hearing_warn(deadline: Deadline) -> bool:
    appeal = _appeal(deadline)
    if appeal is None or appeal.state != Appeal.State.FILED:
        return False
    members = [m.user for m in appeal.appeal_commission.members.select_related("user")]
    _send(appeal, members, "appeals/email/hearing_warn", HEARING_WARN)
    return True


def _admins(appeal: Appeal):
    return [
        a.user
        for a in InstitutionAdmin.objects.filter(institution_id=appeal.appeal_commission.institution_id).select_related(
            "user"
        )
    ]


@deadline_handler(HEARING_MISSED)
def hearing_missed(deadline: Deadline) -> bool:
    appeal = _appeal(deadline)
    if appeal is None or appeal.state != Appeal.State.FILED:
        return False
    _send(appeal, _admins(appeal), "appeals/email/escalate", HEARING_MISSED)
    return True


@deadline_handler(ANSWER_DUE)
def answer_due(deadline: Deadline) -> bool:
    appeal = _appeal(deadline)
    if appeal is None or appeal.state == Appeal.State.ANSWERED:
        return False
    _send(appeal, _admins(appeal), "appeals/email/escalate", ANSWER_DUE)
    return True


@deadline_handler(WINDOW_CLOSE)
def window_close(deadline: Deadline) -> bool:
    """The window closed without an appeal: the student is told the result is final (once)."""
    result = (
        Result.objects.select_related("slot__student__user", "slot__sitting__commission")
        .filter(pk=deadline.object_id)
        .first()
    )
    if result is None or Appeal.objects.filter(result=result).exists() or result.slot.student.user is None:
        return False
    notify(
        user=result.slot.student.user,
        kind=WINDOW_CLOSE,
        template="appeals/email/window_closed",
        context={"result": result},
        url=reverse("appeals:my_results"),
    )
    return True


@deadline_handler(AMEND_DOCUMENTS)
def amend_documents(deadline: Deadline) -> None:
    """Inside the claim's transaction: the amendments are made once, or not at all and retried by the next sweep."""
    appeal_amend_documents(appeal_pk=deadline.object_id)
