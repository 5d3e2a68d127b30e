"""The inspector's offline visit form (its page, service worker and manifest)."""

from django.urls import URLPattern, path

from ruta.inspections import field_views

app_name = "inspections_field"
urlpatterns: list[URLPattern] = [
    path("", field_views.shell, name="shell"),
    path("sw.js", field_views.service_worker, name="service-worker"),
    path("manifest.webmanifest", field_views.manifest, name="manifest"),
]
