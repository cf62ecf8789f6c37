"""The audit trail in words: a translated sentence per verb, the kinds a page filters by, and which events a student
reads about their own attempt. The verbs are the services' own (`audit_record(verb=...)`), across the apps; a verb
not listed here reads as a translated generic line and is never shown to a student.

Secret ballots: no event carries a ballot's content (votes.py audits only that a member took part, the key and
decryption shares' epoch and the count), and the page shows no detail of any vote event but the open round's
mode and the final count; a student sees neither who took part nor any member's grade."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Verb:
    sentence: Promise
    student_sees: bool = False


def _v(sentence: Promise, *, student: bool = False) -> Verb:
    return Verb(sentence, student)


VERBS: dict[str, Verb] = {
    # the commission and its people
    "commission.create": _v(_("Formed the commission")),
    "commission.update": _v(_("Changed the commission's order, period or programmes")),
    "commission.settings": _v(_("Changed the commission's settings")),
    "membership.add": _v(_("Added a member to the commission")),
    "membership.remove": _v(_("Removed a member from the commission")),
    "membership.role": _v(_("Changed a member's role in the commission")),
    "appeal_commission.create": _v(_("Formed the appeal commission")),
    "exam_settings.update": _v(_("Changed the exam settings")),
    "exam_programme.create": _v(_("Drew up the exam programme")),
    "exam_programme.approve": _v(_("Approved the exam programme")),
    "question.add": _v(_("Added a question to the exam programme")),
    "tickets.generate": _v(_("Generated the exam tickets")),
    "tickets.import": _v(_("Imported the exam tickets")),
    "tickets.approve": _v(_("Approved the exam tickets")),
    "tickets.revise": _v(_("Started a new version of the exam tickets")),
    "ticket.edit": _v(_("Changed a question in an exam ticket")),
    "review_lectures.set": _v(_("Planned the review lectures")),
    "review_lecture.add": _v(_("Added a review lecture")),
    "preparation_step.done": _v(_("Marked a preparation step as done")),
    "webinar.create": _v(_("Planned a consultation webinar")),
    "webinar.attendance": _v(_("Recorded who attended the webinar")),
    # the schedule
    "plan.propose": _v(_("Proposed a timetable")),
    "plan.move": _v(_("Moved a student in the draft timetable")),
    "plan.move_day": _v(_("Moved a day of the draft timetable")),
    "plan.lock": _v(_("Fixed students in the draft timetable")),
    "sitting.create": _v(_("Scheduled a sitting")),
    "sitting.retime": _v(_("Changed the time of a sitting")),
    "sitting.delete": _v(_("Removed a sitting")),
    "slot.create": _v(_("Scheduled the student's attestation"), student=True),
    "slot.move": _v(_("Moved the student's attestation"), student=True),
    "slot.reschedule": _v(_("Rescheduled the student's attestation"), student=True),
    "slot.postpone": _v(_("Postponed the student's attestation"), student=True),
    "unavailability.declare": _v(_("Declared a day they cannot sit")),
    "unavailability.withdraw": _v(_("Withdrew a day they could not sit")),
    "connection_check.record": _v(_("Recorded the connection check with the student"), student=True),
    "attendance.record": _v(_("Recorded which members are present")),
    "announcement_call.set": _v(_("Set the call for the announcement of results")),
    "proctor.assign": _v(_("Assigned a proctor")),
    "proctor.remove": _v(_("Removed a proctor")),
    "member.identify": _v(_("Identified a commission member")),
    # the exam
    "attempt.transition": _v(_("The attempt moved to its next stage"), student=True),
    "attempt.kind": _v(_("The form of the attempt changed"), student=True),
    "attempt.in_writing": _v(_("The student answers in writing"), student=True),
    "ticket.draw": _v(_("Drew an exam ticket"), student=True),
    "answer_sheet.upload": _v(_("Uploaded an answer sheet"), student=True),
    "answer_sheet.screenshot": _v(_("Saved a screenshot of an answer sheet"), student=True),
    "question.record": _v(_("Recorded a member's question"), student=True),
    "question.answer": _v(_("Answered a member's question"), student=True),
    "defense.speech_end": _v(_("Ended the defence speech"), student=True),
    "defense.report_video": _v(_("Gave the link to the report video"), student=True),
    # identification and incidents
    "id_copy.upload": _v(_("Uploaded a copy of the identity document"), student=True),
    "identification.record": _v(_("Identified the student"), student=True),
    "room_check.record": _v(_("Recorded the room check"), student=True),
    "room_check.decide": _v(_("Decided on the room check"), student=True),
    "commission.decide": _v(_("The commission took a decision about the student"), student=True),
    "incident.record": _v(_("Recorded an incident"), student=True),
    "failure_act.draw_up": _v(_("Drew up a technical failure act"), student=True),
    "failure_act.offer_slot": _v(_("Offered a new time after a technical failure"), student=True),
    "interruption.request": _v(_("Asked to interrupt the attempt"), student=True),
    "interruption.decide": _v(_("Decided on the interruption"), student=True),
    "recording.add": _v(_("Added a recording of the sitting")),
    "recording.expire": _v(_("A recording of the sitting reached its end of keeping")),
    # grades and results
    "grade.submit": _v(_("Gave a grade")),
    "grade.correct": _v(_("Corrected a member's grade")),
    "opinion.record": _v(_("Recorded a dissenting opinion")),
    "result.decide": _v(_("The commission decided the result"), student=True),
    "result.incomplete": _v(_("The result was set as incomplete"), student=True),
    "result.summative": _v(_("The result was set from the summative grades"), student=True),
    "result.appeal_change": _v(_("The result was changed on appeal"), student=True),
    "result.cutoff_to_f": _v(_("The incomplete result became F at the cutoff"), student=True),
    "results.announce": _v(_("Announced the results"), student=True),
    "incomplete.due_set": _v(_("Set the due date of an incomplete"), student=True),
    "incomplete.due_change": _v(_("Changed the due date of an incomplete"), student=True),
    "incomplete.graded": _v(_("The incomplete was graded in time"), student=True),
    "incomplete.converted": _v(_("The incomplete became F at the cutoff"), student=True),
    "incomplete.flagged": _v(_("The incomplete was passed to the department at the cutoff"), student=True),
    "arts_result.set": _v(_("Recorded the result of the arts examination"), student=True),
    "transcript.summative": _v(_("Recorded summative grades from the transcript"), student=True),
    "summative_decision.make": _v(_("Decided to grade by the summative results")),
    # votes (never a ballot's content)
    "vote.open": _v(_("Opened a vote")),
    "vote.open_cast": _v(_("Voted in an open vote")),
    "vote.key_share": _v(_("Sent a key share for the secret vote")),
    "vote.secret_took_part": _v(_("Took part in the secret vote")),
    "vote.decryption_share": _v(_("Sent a share of the count of the secret vote")),
    "vote.closing": _v(_("Started the count of the secret vote")),
    "vote.close": _v(_("Closed the vote")),
    "vote.rerun": _v(_("Ran the vote again")),
    # appeals
    "appeal.file": _v(_("Filed an appeal"), student=True),
    "appeal.hearing": _v(_("Set the hearing of the appeal"), student=True),
    "appeal.vote": _v(_("Voted on the appeal")),
    "appeal.decide": _v(_("The appeal commission decided the appeal"), student=True),
    "appeal.answer": _v(_("Sent the answer to the appeal"), student=True),
    "appeal.amend_documents": _v(_("Amended the documents after the appeal"), student=True),
    # applications
    "application.file": _v(_("Filed an application"), student=True),
    "application.approved": _v(_("Approved the application"), student=True),
    "application.rejected": _v(_("Rejected the application"), student=True),
    # documents
    "documents.queue": _v(_("Drew up the documents of a sitting")),
    "paper.sign_prepare": _v(_("Prepared a document for signing")),
    "paper.sign": _v(_("Signed a document")),
    "portfolio.build": _v(_("Built the portfolio for the department")),
    "document.render": _v(_("Drew up a document")),
    "yearend.transfer_request": _v(_("Asked to transfer the documents to the archive")),
    "yearend.transfer": _v(_("Transferred the documents to the archive")),
    "yearend.diploma_request": _v(_("Asked for the diplomas")),
    "yearend.portfolio_late": _v(_("The portfolio was not handed over in time")),
    # admission and the thesis
    "thesis.register": _v(_("Registered the thesis topic"), student=True),
    "thesis.version_upload": _v(_("Uploaded a version of the thesis"), student=True),
    "thesis.formatting_check": _v(_("Checked the formatting of the thesis"), student=True),
    "plagiarism.record": _v(_("Recorded the plagiarism check"), student=True),
    "plagiarism.certificate": _v(_("Added the plagiarism certificate"), student=True),
    "review.review": _v(_("Added the review of the thesis"), student=True),
    "review.feedback": _v(_("Added the supervisor's feedback"), student=True),
    "clearance.mark": _v(_("Marked a line of the clearance sheet"), student=True),
    "admission.admit": _v(_("Admitted students to the defence"), student=True),
    "admission.not_admitted_f": _v(_("The student was not admitted and received F"), student=True),
    "admission.procedure_send": _v(_("Sent the procedure of the attestation")),
    "admission.acquaintance_confirm": _v(_("Confirmed acquaintance with the procedure"), student=True),
    "admission.documents_due.late": _v(_("The admission documents were not handed in on time"), student=True),
    "admission.pdf_due.late": _v(_("The thesis file was not uploaded on time"), student=True),
    "accommodation.set": _v(_("Recorded an accommodation for the student"), student=True),
    "accommodation.remove": _v(_("Removed the student's accommodation"), student=True),
}

GENERIC = _("Made a change")

# Fields of a vote event the page may show; nothing else of a vote is ever shown.
VOTE_FIELDS = frozenset({"mode", "for", "against"})

# Labels of the values services record that are not a field of the touched row.
EXTRA_FIELDS: dict[str, Promise] = {
    "points": _("points"),
    "letter": _("letter grade"),
    "new_letter": _("new letter grade"),
    "start": _("start"),
    "end": _("end"),
    "date": _("date"),
    "minutes": _("minutes"),
    "role": _("role"),
    "for": pgettext_lazy("votes", "for"),
    "against": pgettext_lazy("votes", "against"),
    "at": _("time"),
    "due": _("due"),
    "number": _("No."),
    "version": _("version"),
    "count": _("number"),
    "present": _("members present"),
}


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise
    verbs: tuple[str, ...]  # beginnings of the verbs of this kind


KINDS: tuple[Kind, ...] = (
    Kind(
        "commission",
        _("Commission and its members"),
        (
            "commission.create",
            "commission.update",
            "commission.settings",
            "membership.",
            "appeal_commission.",
            "exam_settings.",
            "exam_programme.",
            "question.add",
            "tickets.",
            "ticket.edit",
            "review_lecture",
            "preparation_step.",
            "webinar.",
        ),
    ),
    Kind(
        "schedule",
        _("Schedule"),
        (
            "plan.",
            "sitting.",
            "slot.",
            "unavailability.",
            "connection_check.",
            "attendance.",
            "announcement_call.",
            "proctor.",
            "member.identify",
        ),
    ),
    Kind(
        "exam",
        _("Exam"),
        ("attempt.", "ticket.draw", "answer_sheet.", "question.record", "question.answer", "defense."),
    ),
    Kind(
        "proctoring",
        _("Identification and incidents"),
        (
            "id_copy.",
            "identification.",
            "room_check.",
            "commission.decide",
            "incident.",
            "failure_act.",
            "interruption.",
            "recording.",
        ),
    ),
    Kind(
        "grades",
        _("Grades and results"),
        ("grade.", "opinion.", "result.", "results.", "incomplete.", "arts_result.", "transcript.", "summative_"),
    ),
    Kind("votes", _("Votes"), ("vote.",)),
    Kind("appeals", _("Appeals"), ("appeal.",)),
    Kind("applications", _("Applications"), ("application.",)),
    Kind("documents", _("Documents"), ("documents.", "paper.", "portfolio.", "document.", "yearend.")),
    Kind(
        "admission",
        _("Admission and the thesis"),
        ("thesis.", "plagiarism.", "review.", "clearance.", "admission.", "accommodation."),
    ),
)

STUDENT_VERBS = tuple(verb for verb, about in VERBS.items() if about.student_sees)


def describe(verb: str) -> Promise:
    about = VERBS.get(verb)
    return about.sentence if about is not None else GENERIC
