from django.urls import path

from appeals import views

app_name = "appeals"
urlpatterns = [
    path("my/", views.my_results, name="my_results"),
    path("results/<int:result_pk>/file/", views.appeal_file, name="file"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document"),
    path("commissions/<int:pk>/", views.appeal_commission_detail, name="commission"),
    path("institutions/<int:pk>/commissions/", views.appeal_commissions, name="commissions"),
]
