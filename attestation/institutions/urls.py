from django.urls import path

from attestation.institutions import views

app_name = "institutions"
urlpatterns = [
    path("institutions/<int:pk>/policy/", views.policy_edit, name="policy"),
    path("institutions/<int:pk>/import-students/", views.student_import, name="import_students"),
]
