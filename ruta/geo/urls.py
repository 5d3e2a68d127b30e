from django.urls import path

from ruta.geo import views

app_name = "geo"
urlpatterns = [
    path("municipalities.json", views.municipalities, name="municipalities"),
    path("departments.geojson", views.departments_geojson, name="departments-geojson"),
]
