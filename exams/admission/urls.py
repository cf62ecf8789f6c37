from django.urls import path

from exams.admission import views

app_name = "admission"
urlpatterns = [
    path("my/", views.my_thesis, name="my_thesis"),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("theses/<int:pk>/", views.thesis_detail, name="thesis"),
    path("theses/<int:pk>/<str:what>/<int:item>/", views.thesis_file, name="thesis_file"),
    path("programmes/<int:pk>/", views.admission_table, name="table"),
    path("lists/<int:pk>/order/", views.order_download, name="order"),
    path("students/<int:pk>/clearance/", views.clearance, name="clearance"),
    path("acquaintance/<int:pk>/confirm/", views.acquaintance_confirm, name="acquaintance_confirm"),
    path("procedure/<int:pk>/", views.procedure_file, name="procedure_file"),
]
