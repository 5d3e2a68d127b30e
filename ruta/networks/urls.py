from django.urls import path

from ruta.networks import views

app_name = "networks"
urlpatterns = [
    path("", views.network_list, name="list"),
    path("new/", views.network_new, name="new"),
    path("threats/", views.threat_list, name="threats"),
    path("threats/new/", views.threat_new, name="threat-new"),
    path("threats/<str:reference>/", views.threat_detail, name="threat"),
    path("threats/<str:reference>/decide/", views.threat_decide, name="threat-decide"),
    path("threats/<str:reference>/link/", views.threat_link, name="threat-link"),
    path("risk/", views.risk_map, name="risk"),
    path("risk.json", views.risk_data, name="risk-data"),
    path("vulnerability/", views.vulnerability_upload, name="vulnerability"),
    path("bulletins/<str:reference>/", views.bulletin_detail, name="bulletin"),
    path("<slug:code>/", views.network_detail, name="detail"),
    path("<slug:code>/members/new/", views.member_new, name="member-new"),
    path("<slug:code>/members/<int:member_id>/opt-out/", views.member_opt_out, name="member-opt-out"),
    path("<slug:code>/meetings/new/", views.meeting_new, name="meeting-new"),
    path("<slug:code>/actions/<int:action_id>/done/", views.action_done, name="action-done"),
    path("<slug:code>/bulletins/new/", views.bulletin_new, name="bulletin-new"),
    path("<slug:code>/summary/", views.network_summary, name="summary"),
]
