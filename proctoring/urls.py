from django.urls import path

from proctoring import views

app_name = "proctoring"
urlpatterns = [
    path("id-copy/", views.id_copy, name="id_copy"),
    path("id-copy/<int:pk>/file/", views.id_copy_file, name="id_copy_file"),
    path("slots/<int:slot_pk>/identify/", views.identify, name="identify"),
    path("slots/<int:slot_pk>/room-check/", views.room_check, name="room_check"),
    path("room-checks/<int:pk>/decide/", views.room_check_decide, name="room_check_decide"),
    path("slots/<int:slot_pk>/incident/", views.incident, name="incident"),
    path("slots/<int:slot_pk>/act/", views.failure_act, name="failure_act"),
    path("acts/<int:pk>.pdf", views.act_pdf, name="act_pdf"),
    path("acts/<int:pk>/", views.act_detail, name="act"),
    path("slots/<int:slot_pk>/interruption/", views.interruption_request, name="interruption_request"),
    path("interruptions/<int:pk>/decide/", views.interruption_decide, name="interruption_decide"),
    path("sittings/<int:sitting_pk>/recordings/", views.recordings, name="recordings"),
    path("recordings/<int:pk>/file/", views.recording_file, name="recording_file"),
    path("sittings/<int:sitting_pk>/members/<int:membership_pk>/identify/", views.member_identify, name="member_identify"),
    path("sittings/<int:sitting_pk>/proctors/", views.proctor_assign, name="proctor_assign"),
    path("proctors/<int:pk>/remove/", views.proctor_remove, name="proctor_remove"),
]
