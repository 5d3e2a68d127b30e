from django.urls import URLPattern, URLResolver, path

from ruta.screening import views

app_name = "screening"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.calculator, name="calculator"),
    path("indicators/", views.indicator_fields, name="indicator_fields"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/import/", views.catalogue_import, name="catalogue_import"),
]
