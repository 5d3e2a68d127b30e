"""The inspector's offline visit form (its page, service worker and manifest)."""

from django.urls import URLPattern

app_name = "inspections_field"
urlpatterns: list[URLPattern] = []
