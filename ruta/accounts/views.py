from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(
            actor=self.request.user,
            action=AuditAction.LOGIN,
            object_type="accounts.user",
            object_id=str(self.request.user.pk),
            request=self.request,
        )
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            audit_record(
                actor=request.user,
                action=AuditAction.LOGOUT,
                object_type="accounts.user",
                object_id=str(request.user.pk),
                request=request,
            )
        return super().post(request, *args, **kwargs)
