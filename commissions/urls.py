from django.urls import path

from commissions import views

app_name = "commissions"
urlpatterns = [
    path("my/schedule/", views.my_schedule, name="my_schedule"),
    path("my/schedule.ics", views.schedule_ics, name="my_schedule_ics"),
    path("slots/<int:pk>/", views.slot_detail, name="slot"),
    path("commissions/<int:pk>/", views.commission_detail, name="commission"),
    path("commissions/<int:pk>/composition.pdf", views.commission_composition_pdf, name="composition_pdf"),
]
