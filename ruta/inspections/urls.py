from django.urls import path

from ruta.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.visit_list, name="visits"),
    path("plan/", views.plan, name="plan"),
    path("visits/<str:visit_uuid>/", views.visit_detail, name="visit"),
    path("visits/<str:visit_uuid>/assign/", views.visit_assign, name="assign"),
    path("establishments/", views.establishment_list, name="establishments"),
    path("establishments/new/", views.establishment_new, name="establishment_new"),
    path("establishments/<int:pk>/", views.establishment_detail, name="establishment"),
]
