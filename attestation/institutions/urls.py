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
    path("institutions/<int:pk>/structure/", views.structure, name="structure"),
    path("institutions/<int:pk>/structure/<str:kind>/new/", views.structure_add, name="structure_add"),
    path("structure/<str:kind>/<int:pk>/", views.structure_edit, name="structure_edit"),
    path("structure/<str:kind>/<int:pk>/delete/", views.structure_delete, name="structure_delete"),
]
