from django.urls import path

from ruta.competencies import views

app_name = "competencies"
urlpatterns = [
    path("", views.my_competencies, name="mine"),
    path("frameworks/", views.framework_list, name="frameworks"),
    path("frameworks/import/", views.framework_import, name="import"),
    path("frameworks/<slug:code>/", views.framework_detail, name="framework"),
    path("frameworks/<slug:code>/export.<str:fmt>", views.framework_export, name="export"),
    path("frameworks/<slug:code>/self-assessment/", views.self_assess, name="self_assess"),
    path("gaps/", views.heatmap, name="heatmap"),
    path("people/", views.people, name="people"),
    path("people/<int:user_id>/", views.person_record, name="person"),
    path("people/<int:user_id>/assess/<slug:code>/", views.assess, name="assess"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="edit"),
]
