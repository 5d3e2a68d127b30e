from django.urls import path

from ruta.training import views

app_name = "training"
urlpatterns = [
    path("", views.session_list, name="sessions"),
    path("courses/", views.course_list, name="courses"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("questions/", views.question_list, name="questions"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("sessions/<int:pk>/materials/", views.material_upload, name="material_upload"),
    path("sessions/<int:pk>/draw/", views.tests_draw, name="tests_draw"),
    path("sessions/<int:pk>/marking/", views.marking, name="marking"),
    path("sessions/<int:pk>/results/", views.results, name="results"),
    path("sessions/<int:pk>/certificates/", views.certificates_issue, name="certificates_issue"),
    path("enrolments/<int:pk>/cancel/", views.enrolment_cancel, name="enrolment_cancel"),
    path("enrolments/<int:pk>/certificate/", views.certificate_issue, name="certificate_issue"),
    path("tests/<int:pk>/advance/", views.test_advance, name="test_advance"),
    path("tests/<int:pk>/take/", views.take_test, name="take_test"),
    path("materials/<int:pk>/", views.material_download, name="material"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("scan/<str:token>/", views.scan, name="scan"),
    path("impact/", views.impact_view, name="impact"),
    path("people/<int:pk>/", views.person_record, name="person"),
    path("mine/", views.mine, name="mine"),
    path("mine/export/", views.my_export, name="my_export"),
    path("mine/<int:pk>/qr.svg", views.my_qr, name="my_qr"),
    path("mine/<int:pk>/survey/", views.survey, name="survey"),
]
