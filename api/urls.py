from django.urls import path

from api import views

app_name = "api"

urlpatterns = [
    path("institutions/<int:pk>/api-tokens/", views.tokens, name="tokens"),
    path("institutions/<int:pk>/api-tokens/<int:token_pk>/revoke/", views.token_revoke, name="token_revoke"),
]
