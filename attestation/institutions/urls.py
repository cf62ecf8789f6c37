from django.urls import path

from attestation.institutions import views

app_name = "institutions"
urlpatterns = [
    path("institutions/<int:pk>/policy/", views.policy_edit, name="policy"),
    path("institutions/<int:pk>/policy/<int:year>/", views.policy_edit, name="policy_year"),
    path("institutions/<int:pk>/policy/<int:year>/copy/", views.policy_new_year, name="policy_new_year"),
    path("institutions/<int:pk>/calendar/", views.calendar, name="calendar"),
    path("calendar-days/<int:pk>/remove/", views.calendar_remove, name="calendar_remove"),
    path("institutions/<int:pk>/import-students/", views.student_import, name="import_students"),
    path("institutions/<int:pk>/import-students/template.csv", views.student_import_template, name="import_template"),
    path(
        "institutions/<int:pk>/import-students/template.xlsx",
        views.student_import_template,
        {"fmt": "xlsx"},
        name="import_template_xlsx",
    ),
    path("student-imports/<int:pk>/", views.student_import_detail, name="student_import_detail"),
    path("student-imports/<int:pk>/import/", views.student_import_start_view, name="student_import_start"),
    path("student-imports/<int:pk>/progress/", views.student_import_progress, name="student_import_progress"),
    path("institutions/<int:pk>/structure/", views.structure, name="structure"),
    path("institutions/<int:pk>/structure/<str:kind>/new/", views.structure_add, name="structure_add"),
    path("structure/<str:kind>/<int:pk>/", views.structure_edit, name="structure_edit"),
    path("structure/<str:kind>/<int:pk>/delete/", views.structure_delete, name="structure_delete"),
]
