from django.urls import path

from exams.yearend import views

app_name = "yearend"
urlpatterns = [
    path("commissions/<int:commission_pk>/transfers/", views.transfer_send, name="transfer_send"),
    path("transfers/<int:pk>/download/", views.transfer_download, name="transfer_download"),
    path("commissions/<int:commission_pk>/diploma-request/", views.diploma_request, name="diploma_request"),
    path("diploma-requests/<int:pk>/<str:what>/", views.diploma_request_file, name="diploma_request_file"),
    path("departments/<int:pk>/accommodations/", views.accommodation_set, name="accommodation_set"),
    path("accommodations/<int:pk>/remove/", views.accommodation_remove, name="accommodation_remove"),
]
