from django.urls import URLPattern, URLResolver, include, path

from ruta.statistics import views

app_name = "statistics"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("institution/", views.institution, name="institution"),
    path("definitions/", views.definitions, name="definitions"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/<str:kind>/", views.report_download, name="report-download"),
    path("sdg-16-2-2/", views.sdg, name="sdg"),
    path("population/", views.population_import, name="population"),
    path("htcds/", include("ruta.statistics.htcds_urls")),
]
