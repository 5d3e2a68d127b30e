from django.urls import URLPattern, URLResolver, path

from ruta.alerts import views

app_name = "alerts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.queue, name="queue"),
    path("new/", views.alert_new, name="new"),
    path("hotline/", views.hotline_log, name="hotline"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/take/", views.take, name="take"),
    path("<str:reference>/release/", views.release, name="release"),
    path("<str:reference>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<str:reference>/assign/", views.assign, name="assign"),
    path("<str:reference>/note/", views.note, name="note"),
    path("<str:reference>/close/", views.close, name="close"),
    path("<str:reference>/refer/", views.refer, name="refer"),
    path("<str:reference>/merge/", views.merge, name="merge"),
    path("<str:reference>/open-case/", views.open_case, name="open-case"),
    path("<str:reference>/reveal-contact/", views.reveal_contact, name="reveal-contact"),
    path("<str:reference>/persons/<int:person>/screen/", views.screen_person, name="screen-person"),
]
