"""The HTCDS export's pages (mounted by the statistics URLconf under ``htcds/``)."""

from django.urls import URLPattern, path

from ruta.statistics import views

app_name = "htcds"
urlpatterns: list[URLPattern] = [
    path("", views.htcds_list, name="list"),
    path("<int:pk>/", views.htcds_detail, name="detail"),
    path("<int:pk>/download/", views.htcds_download, name="download"),
]
