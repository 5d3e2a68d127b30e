"""The REST API. Each installed app mounts its routes from its plugin.py (``ruta.core.plugins.mount_api``);
domain code never imports this package."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ruta.api import views
from ruta.core.plugins import api_modules

app_name = "api"
v1: list[URLPattern | URLResolver] = [
    path("me/", views.MeView.as_view(), name="me"),
    path("departments/", views.DepartmentList.as_view(), name="departments"),
    path("municipalities/", views.MunicipalityList.as_view(), name="municipalities"),
    path("institutions/", views.InstitutionList.as_view(), name="institutions"),
    *(path("", include(module)) for module in api_modules()),
]
urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
