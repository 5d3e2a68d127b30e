from django.urls import path

from ruta.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.verify, name="verify"),
    path("login/enrol/", views.enrol, name="enrol"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("reauth/", views.reauth, name="reauth"),
    path("security/", views.security, name="security"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/keys/add/", views.security_key_add, name="security_key_add"),
    path("security/keys/<int:pk>/remove/", views.security_key_remove, name="security_key_remove"),
    path("security/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("second-factor-reset/", views.mfa_reset, name="mfa_reset"),
]
