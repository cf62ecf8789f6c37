from django.urls import path

from appeals import views

app_name = "appeals"
urlpatterns = [
    path("my/", views.my_results, name="my_results"),
    path("results/<int:result_pk>/file/", views.appeal_file, name="file"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("commissions/<int:pk>/", views.appeal_commission_detail, name="commission"),
]
