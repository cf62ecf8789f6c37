from django.urls import path

from exams.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.my_applications, name="mine"),
    path("new/<slug:kind>/", views.application_new, name="new"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/document/", views.application_document, name="document"),
    path("queue/", views.queue, name="queue"),
    path("incomplete/", views.incompletes, name="incompletes"),
    path("institutions/<int:pk>/transcripts/", views.transcript_import, name="import"),
    path("transcript-imports/<int:pk>/", views.import_job_page, name="import_job_page"),
    path("transcript-imports/<int:pk>/progress/", views.import_job, name="import_job"),
]
