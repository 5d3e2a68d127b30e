"""The HTCDS export's download pages (mounted by the statistics URLconf)."""

from django.urls import URLPattern

app_name = "htcds"
urlpatterns: list[URLPattern] = []
