from django.urls import path

from ruta.institutions import views

app_name = "institutions"
urlpatterns = [
    path("", views.directory_list, name="directory"),
    path("<slug:code>/", views.institution_detail, name="detail"),
]
