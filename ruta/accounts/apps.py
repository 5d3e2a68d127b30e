from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ruta.accounts"
    label = "accounts"
    verbose_name = _("Users and access")

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import post_delete, post_save

        from ruta.accounts import sessions
        from ruta.accounts.models import Membership

        # Session bookkeeping is infrastructure, not business logic: every path that authenticates a
        # session (Ruta's two-step log-in, and ``force_login`` in tests) goes through ``login()``.
        user_logged_in.connect(_stamp_login, dispatch_uid="ruta.accounts.stamp_login")
        user_logged_out.connect(_forget_session, dispatch_uid="ruta.accounts.forget_session")
        # A change of role or membership ends the user's sessions on every write path (services,
        # admin, shell): their permissions are re-read at the next log-in.
        post_save.connect(_membership_changed, sender=Membership, dispatch_uid="ruta.accounts.membership_saved")
        post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="ruta.accounts.membership_deleted")
        del sessions
        # The Django admin must not offer a password-only log-in: send it to Ruta's two-step one.
        admin.site.login = _admin_login  # type: ignore[method-assign]


def _stamp_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from ruta.accounts.sessions import stamp_login

    if request is not None and hasattr(request, "session"):
        stamp_login(request, user)


def _forget_session(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from ruta.accounts.sessions import forget_session

    if request is not None and hasattr(request, "session"):
        forget_session(request.session.session_key)


def _membership_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from ruta.accounts.sessions import end_user_sessions
    from ruta.policy.access import forget_grants

    end_user_sessions(instance.user_id)
    if type(instance).user.is_cached(instance):
        forget_grants(instance.user)


def _admin_login(request: Any, extra_context: Any = None) -> Any:
    from django.contrib.auth.views import redirect_to_login
    from django.http import Http404

    if request.user.is_authenticated:
        raise Http404  # signed in but not admin staff: same answer as a page that does not exist
    return redirect_to_login(request.GET.get("next") or "/admin/")
