"""The actor map: who works with whom, declared and observed.

Declared links come from the study (``ActorLink``); observed ones are the referrals actually sent
through Ruta, counted per sender → recipient institution pair. Only counts leave the referrals app:
no case, person or referral detail. The network is laid out on a circle here, in Python, so the page
draws it as plain SVG (no script) with the same figures in a table beside it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet

from ruta.baseline.models import ActorLink
from ruta.institutions.models import Institution
from ruta.referrals.models import Referral, ReferralStatus

SIZE = 640  # the SVG's view box is SIZE × SIZE
RADIUS = 250
NODE_RADIUS = 18


@dataclass(frozen=True)
class ReferralFlow:
    source_id: int
    target_id: int
    count: int


def referral_flows(*, since: date | None = None, until: date | None = None) -> list[ReferralFlow]:
    """Referrals sent through Ruta per (sending, receiving) institution pair; drafts never left."""
    referrals = Referral.objects.exclude(status=ReferralStatus.DRAFT).exclude(sent_at=None)
    if since:
        referrals = referrals.filter(sent_at__date__gte=since)
    if until:
        referrals = referrals.filter(sent_at__date__lte=until)
    rows = (
        referrals.order_by()
        .values_list("from_institution_id", "to_institution_id")
        .annotate(n=Count("pk"))
        .order_by("from_institution_id", "to_institution_id")
    )
    return [ReferralFlow(source, target, n) for source, target, n in rows]


@dataclass(frozen=True)
class Node:
    institution: Institution
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str
    degree: int


@dataclass(frozen=True)
class Edge:
    source: Node
    target: Node
    declared: list[str]  # labels of the declared kinds of link
    referrals: int
    width: float

    @property
    def line(self) -> tuple[float, float, float, float]:
        """The segment between the two circles' rims, so the arrow head stays visible."""
        dx, dy = self.target.x - self.source.x, self.target.y - self.source.y
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        gap = NODE_RADIUS + 2
        return (
            round(self.source.x + ux * gap, 1),
            round(self.source.y + uy * gap, 1),
            round(self.target.x - ux * (gap + 4), 1),
            round(self.target.y - uy * (gap + 4), 1),
        )


@dataclass(frozen=True)
class ActorMap:
    nodes: list[Node]
    edges: list[Edge]
    size: int = SIZE

    @property
    def declared_links(self) -> int:
        return sum(len(edge.declared) for edge in self.edges)

    @property
    def referrals(self) -> int:
        return sum(edge.referrals for edge in self.edges)


def actor_map(links: QuerySet[ActorLink], *, since: date | None = None, until: date | None = None) -> ActorMap:
    declared: dict[tuple[int, int], list[str]] = {}
    for link in links.order_by("kind", "pk"):
        declared.setdefault((link.source_id, link.target_id), []).append(str(link.get_kind_display()))
    flows = {(flow.source_id, flow.target_id): flow.count for flow in referral_flows(since=since, until=until)}
    pairs = sorted(set(declared) | set(flows))
    involved = {institution_id for pair in pairs for institution_id in pair}
    institutions = list(Institution.objects.filter(pk__in=involved).order_by("type", "code"))
    degree = {institution.pk: 0 for institution in institutions}
    for source_id, target_id in pairs:
        degree[source_id] += 1
        degree[target_id] += 1
    nodes = {
        institution.pk: _place(institution, position, len(institutions), degree[institution.pk])
        for position, institution in enumerate(institutions)
    }
    most = max(flows.values(), default=1)
    edges = [
        Edge(
            source=nodes[source_id],
            target=nodes[target_id],
            declared=declared.get((source_id, target_id), []),
            referrals=flows.get((source_id, target_id), 0),
            # Wider for more referrals (1.5 to 8 px); declared-only links stay thin.
            width=round(1.5 + 6.5 * flows.get((source_id, target_id), 0) / most, 1),
        )
        for source_id, target_id in pairs
    ]
    return ActorMap(nodes=list(nodes.values()), edges=edges)


def _place(institution: Institution, position: int, total: int, degree: int) -> Node:
    """Node ``position`` of ``total`` on the circle, starting at the top, clockwise; its label sits
    outside the circle, anchored away from the centre."""
    angle = -math.pi / 2 + 2 * math.pi * position / max(total, 1)
    centre = SIZE / 2
    x, y = centre + RADIUS * math.cos(angle), centre + RADIUS * math.sin(angle)
    label_distance = RADIUS + NODE_RADIUS + 8
    cos = math.cos(angle)
    return Node(
        institution=institution,
        x=round(x, 1),
        y=round(y, 1),
        label_x=round(centre + label_distance * cos, 1),
        label_y=round(centre + label_distance * math.sin(angle) + 4, 1),
        anchor="middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end"),
        degree=degree,
    )
