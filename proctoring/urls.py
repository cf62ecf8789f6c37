app_name = "proctoring"
urlpatterns: list = []
