from django.urls import path

from commissions import views
from commissions.grading import views as grading
from commissions.papers import views as papers
from commissions.planning import views as planning

app_name = "commissions"
urlpatterns = [
    path("my/schedule/", views.my_schedule, name="my_schedule"),
    path("my/schedule.ics", views.schedule_ics, name="my_schedule_ics"),
    path("my/results/panel/", grading.home_panel, name="home_results"),
    path("slots/<int:pk>/", views.slot_detail, name="slot"),
    path("slots/<int:pk>/results/", grading.slot_results, name="slot_results"),
    path("slots/<int:pk>/grade/", grading.grade_submit, name="grade_submit"),
    path("slots/<int:pk>/result/", grading.result_decide, name="result_decide"),
    path("slots/<int:pk>/result/incomplete/", grading.result_incomplete, name="result_incomplete"),
    path("slots/<int:pk>/vote/", grading.vote_open, name="vote_open"),
    path("slots/<int:pk>/opinion/", grading.opinion_record, name="opinion_record"),
    path("grades/preview/", grading.grade_preview, name="grade_preview"),
    path("grades/<int:pk>/correct/", grading.grade_correct, name="grade_correct"),
    path("votes/<int:pk>/cast/", grading.vote_cast, name="vote_cast"),
    path("votes/<int:pk>/close/", grading.vote_close, name="vote_close"),
    path("sittings/<int:pk>/results/", grading.sitting_results, name="sitting_results"),
    path("sittings/<int:pk>/announce/", grading.results_announce, name="results_announce"),
    path("sittings/<int:pk>/attendance/", grading.attendance_record, name="attendance_record"),
    path("results/<str:short_name>/<int:pk>/", grading.public_results, name="public_results"),
    path("sittings/<int:pk>/documents/", papers.sitting_documents, name="sitting_documents"),
    path("sittings/<int:pk>/documents/draw-up/", papers.documents_draw_up, name="documents_draw_up"),
    path("document-jobs/<int:pk>/", papers.job_progress, name="job_progress"),
    path("document-jobs/<int:pk>/file/", papers.job_output, name="job_output"),
    path("commissions/<int:pk>/documents/", papers.commission_documents, name="commission_documents"),
    path("commissions/<int:pk>/report/", papers.report_queue, name="report_queue"),
    path("commissions/<int:pk>/portfolio/", papers.portfolio_queue, name="portfolio_queue"),
    path("papers/<uuid:pk>/download/", papers.paper_download, name="paper_download"),
    path("papers/<uuid:pk>/vedomost.xlsx", papers.paper_xlsx, name="paper_xlsx"),
    path("papers/<uuid:pk>/sign/", papers.paper_sign, name="paper_sign"),
    path("signing/<uuid:pk>/finish/", papers.paper_sign_finish, name="paper_sign_finish"),
    path("verify/", papers.verify_upload, name="verify_upload"),
    path("verify/<uuid:pk>/", papers.verify_paper, name="verify_paper"),
    path("registry/<int:pk>/", papers.registry, name="registry"),
    path("commissions/<int:pk>/", views.commission_detail, name="commission"),
    path("commissions/<int:pk>/settings/", views.commission_settings, name="commission_settings"),
    path("commissions/<int:pk>/plan/", planning.plan, name="plan"),
    path("commissions/<int:pk>/plan/propose/", planning.propose, name="plan_propose"),
    path("commissions/<int:pk>/plan/move/", planning.move, name="plan_move"),
    path("commissions/<int:pk>/plan/move-day/", planning.move_day, name="plan_move_day"),
    path("commissions/<int:pk>/plan/lock/", planning.lock, name="plan_lock"),
    path("commissions/<int:pk>/plan/publish/", planning.publish, name="plan_publish"),
    path("slots/<int:pk>/reschedule/", planning.reschedule, name="reschedule"),
    path("my/unavailable/", planning.my_unavailable, name="my_unavailable"),
    path("my/unavailable/<int:pk>/withdraw/", planning.my_unavailable_withdraw, name="my_unavailable_withdraw"),
    path("commissions/<int:pk>/composition.pdf", views.commission_composition_pdf, name="composition_pdf"),
]
