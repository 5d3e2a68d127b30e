"""Public routes (no log-in): /report/, /track/, the service worker and the messaging webhook."""

from django.urls import URLPattern, URLResolver, path

from ruta.alerts import public_views

app_name = "report"
urlpatterns: list[URLPattern | URLResolver] = [
    path("report/", public_views.report, name="form"),
    path("report/sw.js", public_views.service_worker, name="service-worker"),
    path("track/", public_views.track, name="track"),
    path("webhooks/rapidpro/<slug:channel>/", public_views.rapidpro_webhook, name="rapidpro"),
]
