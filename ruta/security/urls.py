from django.urls import path

from ruta.security import views

app_name = "security"
urlpatterns = [
    path("exports/", views.exports, name="exports"),
    path("break-glass/", views.break_glass, name="break_glass"),
]
