from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ruta.core.http import AuthenticatedHttpRequest
from ruta.notifications.models import Notification
from ruta.notifications.services import notification_mark_read
from ruta.policy.decorators import login_required


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.filter(recipient=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(actor=request.user, notification=notification)
    return redirect(notification.url or "notifications:list")
