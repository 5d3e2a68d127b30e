"""The referrals' share of each user's work list (a fixed number of queries, whatever the count):

- referrals addressed to the user's institution that await an answer or completion;
- for senders, their referrals that still await an answer (and drafts not sent yet);
- for supervisors (``team``), the sending institution's escalated referrals."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Window
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.core.worklist import WorkItem, WorkPage, page_total, worklist_provider
from ruta.deadlines.models import Escalation
from ruta.policy import access
from ruta.policy.permissions import PlatformPermission
from ruta.referrals.models import Referral, ReferralStatus
from ruta.referrals.permissions import ReferralPermission
from ruta.referrals.selectors import receiving_institutions, referrals_received

LIMIT = 200  # rows read per query when the caller sets no limit


def _first(rows: QuerySet[Referral], limit: int | None) -> tuple[list[Referral], int]:
    """The first rows (most urgent first) and how many there are in all, in one query."""
    found: list[Referral] = list(rows.annotate(total=Window(Count("pk")))[: limit if limit is not None else LIMIT])
    return found, page_total(found, 0)


def _url(referral: Referral) -> str:
    return reverse("referrals:detail", kwargs={"reference": referral.reference})


@worklist_provider("referrals", paged=True)
def referral_work(user: User, team: bool, limit: int | None = None) -> WorkPage:
    items: list[WorkItem] = []
    total = 0
    if team:
        institutions = receiving_institutions(user, PlatformPermission.TEAM_WORKLIST_VIEW)
        if institutions is not None and not institutions:
            return WorkPage(items, 0)
        escalated = Referral.objects.filter(
            status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED),
            pk__in=Escalation.objects.for_model(Referral).values("object_id"),
        )
        if institutions is not None:
            escalated = escalated.filter(from_institution_id__in=institutions)
        found, total = _first(escalated.select_related("to_institution").order_by("accept_due_at", "id"), limit)
        for referral in found:
            items.append(
                WorkItem(
                    "referral_escalated",
                    _("Referral deadline missed (to %(institution)s)") % {"institution": referral.to_institution},
                    referral.reference,
                    referral.current_due_at,
                    _url(referral),
                )
            )
        return WorkPage(items, total)
    if access.has_perm(user, ReferralPermission.RECEIVE):
        incoming = referrals_received(user).filter(status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED))
        found, count = _first(incoming.order_by("accept_due_at", "id"), limit)
        total += count
        for referral in found:
            label = (
                _("Answer the referral from %(institution)s")
                if referral.status == ReferralStatus.SENT
                else _("Complete the referral from %(institution)s")
            )
            items.append(
                WorkItem(
                    "referral_incoming",
                    label % {"institution": referral.from_institution},
                    referral.reference,
                    referral.current_due_at,
                    _url(referral),
                )
            )
    if access.has_perm(user, ReferralPermission.SEND):
        mine = Referral.objects.filter(Q(created_by=user) | Q(sent_by=user)).filter(
            status__in=(ReferralStatus.DRAFT, ReferralStatus.SENT)
        )
        found, count = _first(mine.select_related("to_institution").order_by("accept_due_at", "id"), limit)
        total += count
        for referral in found:
            label = (
                _("Referral draft to %(institution)s: record consent and send")
                if referral.status == ReferralStatus.DRAFT
                else _("Referral to %(institution)s awaits an answer")
            )
            items.append(
                WorkItem(
                    "referral_outgoing",
                    label % {"institution": referral.to_institution},
                    referral.reference,
                    referral.accept_due_at,
                    _url(referral),
                )
            )
    return WorkPage(items, total)
