from django.urls import path

from ruta.instruments import views

app_name = "instruments"
urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("upload/", views.instrument_upload, name="upload"),
    path("<int:pk>/", views.instrument_detail, name="detail"),
    path("<int:pk>/submissions/", views.submission_list, name="submissions"),
    path("<int:pk>/import/", views.submission_import, name="import"),
    path("<int:pk>/pull/", views.submission_pull, name="pull"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/fill/", views.version_fill, name="fill"),
    path("versions/<int:pk>/relevance/", views.version_relevance, name="relevance"),
    path("versions/<int:pk>/xlsform.xlsx", views.version_xlsform, name="export_xlsform"),
    path("versions/<int:pk>/xform.xml", views.version_xform, name="export_xform"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
]
