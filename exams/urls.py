from django.urls import path

from exams import views

app_name = "exams"
urlpatterns = [
    path("exam/<int:slot_pk>/", views.student_exam, name="student_exam"),
    path("exam/<int:slot_pk>/status/", views.student_exam_status, name="student_status"),
    path("exam/<int:slot_pk>/draw/", views.student_draw, name="student_draw"),
    path("exam/<int:slot_pk>/sheets/", views.student_upload, name="student_upload"),
    path("exam/<int:slot_pk>/answers/<int:question_pk>/", views.student_answer, name="student_answer"),
    path("exam/<int:slot_pk>/report-video/", views.student_report_video, name="student_report_video"),
    path("answer-sheets/<int:pk>/", views.answer_sheet_file, name="answer_sheet"),
    path("written-answers/<int:pk>/", views.written_answer_file, name="written_answer_file"),
    path("sittings/<int:pk>/console/", views.console, name="console"),
    path("sittings/<int:pk>/console/queue/", views.console_queue, name="console_queue"),
    path("sittings/<int:pk>/testing/", views.testing_results, name="testing"),
    path("console/slots/<int:slot_pk>/", views.desk, name="desk"),
    path("console/slots/<int:slot_pk>/move/", views.console_move, name="move"),
    path("console/slots/<int:slot_pk>/question/", views.desk_question, name="desk_question"),
    path("console/slots/<int:slot_pk>/written/", views.desk_written_mode, name="desk_written"),
    path("console/slots/<int:slot_pk>/speech-end/", views.desk_speech_end, name="desk_speech_end"),
    path("console/slots/<int:slot_pk>/screenshot/", views.desk_screenshot, name="desk_screenshot"),
    path("commissions/<int:pk>/programmes/", views.programme_list, name="programmes"),
    path("commissions/<int:pk>/exam-settings/", views.exam_settings_edit, name="exam_settings"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/file/<slug:which>/", views.programme_file, name="programme_file"),
    path("programmes/<int:pk>/ticket-sample/<slug:fmt>/", views.ticket_import_sample, name="ticket_sample"),
    path("programmes/<int:pk>/<slug:action>/", views.programme_action, name="programme_action"),
    path("ticket-sets/<int:pk>/<slug:action>/", views.ticket_set_action, name="ticket_set_action"),
]
