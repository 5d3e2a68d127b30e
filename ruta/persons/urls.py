from django.urls import path

from ruta.persons import views

app_name = "persons"
urlpatterns = [
    path("<str:reference>/", views.person_detail, name="detail"),
    path("<str:reference>/edit/", views.person_edit, name="edit"),
    path("<str:reference>/duplicates/", views.person_duplicates, name="duplicates"),
    path("<str:reference>/merge/<str:other>/", views.person_merge, name="merge"),
]
