"""Public routes (no log-in): the links a bulletin carries."""

from django.urls import path

from ruta.networks import public_views

app_name = "network_links"
urlpatterns = [
    path("ack/<str:token>/", public_views.acknowledge, name="acknowledge"),
    path("stop/<str:token>/", public_views.opt_out, name="opt-out"),
    path("rapidpro/<slug:channel>/stop/", public_views.rapidpro_stop, name="rapidpro-stop"),
]
