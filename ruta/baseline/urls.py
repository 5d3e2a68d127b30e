from django.urls import path

from ruta.baseline import views

app_name = "baseline"
urlpatterns = [
    path("", views.studies, name="studies"),
    path("new/", views.study_new, name="study_new"),
    path("<int:pk>/", views.study, name="study"),
    path("<int:pk>/rounds/new/", views.round_new, name="round_new"),
    path("<int:pk>/capacity/", views.comparison, name="comparison"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results/new/", views.result_new, name="result_new"),
    path("results/<int:pk>/rounds/<int:round_pk>/", views.result_value, name="result_value"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/workshops/new/", views.workshop_new, name="workshop_new"),
    path("rounds/<int:pk>/findings/new/", views.finding_new, name="finding_new"),
    path("rounds/<int:pk>/capacity/<slug:institution>/", views.assessment, name="assessment"),
    path("rounds/<int:pk>/reports/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/progress/", views.report_progress, name="report_progress"),
    path("reports/<int:pk>/<str:fmt>/", views.report_download, name="report_download"),
    path("workshops/", views.workshops, name="workshops"),
    path("workshops/<int:pk>/", views.workshop, name="workshop"),
    path("workshops/<int:pk>/sessions/", views.session_new, name="session_new"),
    path("workshops/<int:pk>/participants/new/", views.participant_new, name="participant_new"),
    path("workshops/<int:pk>/outputs/", views.output_new, name="output_new"),
    path("sessions/<int:pk>/sign-in/", views.attendance, name="attendance"),
    path("initiatives/", views.initiatives, name="initiatives"),
    path("initiatives/new/", views.initiative_new, name="initiative_new"),
    path("actors/", views.actor_map, name="actor_map"),
    path("actors/links/new/", views.link_new, name="link_new"),
]
