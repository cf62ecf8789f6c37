from django.urls import path

from exams.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.my_applications, name="mine"),
    path("new/<slug:kind>/", views.application_new, name="new"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/document/", views.application_document, name="document"),
    path("queue/", views.queue, name="queue"),
    path("incomplete/", views.incomplete_list, name="incompletes"),
    path("incomplete/results/<int:pk>/due/", views.incomplete_due, name="incomplete_due"),
    path("institutions/<int:pk>/summative/", views.summative_list, name="summative_list"),
    path("summative-decisions/<int:pk>/pdf/", views.summative_decision_pdf, name="summative_decision_pdf"),
    path("departments/<int:pk>/arts/", views.arts_list, name="arts_list"),
    path("students/<int:pk>/arts/", views.arts_set, name="arts_set"),
    path("arts-results/<int:pk>/<slug:what>/", views.arts_file, name="arts_file"),
    path("institutions/<int:pk>/transcripts/", views.transcript_import, name="import"),
    path("transcript-imports/<int:pk>/", views.import_job_page, name="import_job_page"),
    path("transcript-imports/<int:pk>/progress/", views.import_job, name="import_job"),
]
