"""Notifying people in the app and by e-mail.

``notify`` is called inside the transaction of the event it announces; a ``dedupe_key`` makes a
repeated call (a retried job, a second worker) a no-op per recipient.

Subject and body are ``Text`` values (an English msgid marked with ``gettext_noop`` and its
parameters): each reader sees them in their language, the page's in the app and their preferred
one in the e-mail. A plain ``str`` is still accepted and shown as it is, in whatever language it was
written."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from ruta.core.texts import Text, reader_language, stored
from ruta.jobs.services import enqueue, handler
from ruta.notifications.models import Notification

if TYPE_CHECKING:
    from ruta.accounts.models import User


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    subject: Text | str,
    body: Text | str = "",
    url: str = "",
    dedupe_key: str | None = None,
    email: bool = True,
) -> list[Notification]:
    created = []
    for user in {user.pk: user for user in recipients}.values():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=user,
                    kind=kind,
                    subject_text=stored(subject),
                    body_text=stored(body),
                    url=url,
                    dedupe_key=dedupe_key,
                )
        except IntegrityError:
            continue  # this recipient already has it
        created.append(notification)
        if email and user.email:
            enqueue("notifications.email", {"notification_id": notification.pk})
    return created


def notification_mark_read(*, actor: User, notification: Notification) -> None:
    if notification.recipient_id != actor.pk:
        raise PermissionError("not your notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


@handler("notifications.email")
def send_notification_email(payload: dict[str, Any]) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=payload["notification_id"])
    link = notification.url
    if link.startswith("/") and settings.SITE_URL:
        link = settings.SITE_URL + link  # an e-mail is read outside Ruta: a path alone leads nowhere
    with translation.override(reader_language(notification.recipient)):
        subject, body = notification.subject, notification.body
    send_mail(
        subject=f"[Ruta] {subject}",
        message=f"{body}\n\n{link}".strip(),
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
