from django.urls import path

from exams.preparation import views

app_name = "preparation"
urlpatterns = [
    path("commissions/<int:commission_pk>/review-lectures/", views.series_set, name="series"),
    path("commissions/<int:commission_pk>/review-lectures/add/", views.lecture_add, name="lecture_add"),
    path("commissions/<int:commission_pk>/webinars/", views.webinar_create, name="webinar_create"),
    path("steps/<int:pk>/done/", views.step_done, name="step_done"),
    path("webinars/<int:pk>/attendance/", views.webinar_attendance, name="attendance"),
]
