from django.urls import URLPattern, URLResolver

app_name = "persons"
urlpatterns: list[URLPattern | URLResolver] = []
