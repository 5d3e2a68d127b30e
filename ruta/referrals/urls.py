from django.urls import path

from ruta.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_new, name="new"),
    path("<str:reference>/", views.referral_detail, name="detail"),
    path("<str:reference>/consent/", views.referral_consent, name="consent"),
    path("<str:reference>/override/", views.referral_override, name="override"),
    path("<str:reference>/send/", views.referral_send, name="send"),
    path("<str:reference>/accept/", views.referral_accept, name="accept"),
    path("<str:reference>/decline/", views.referral_decline, name="decline"),
    path("<str:reference>/complete/", views.referral_complete, name="complete"),
    path("<str:reference>/revoke/", views.referral_revoke, name="revoke"),
    path("<str:reference>/milestones/", views.milestone_add, name="milestone"),
]
