"""What a statistics reader may see, from their grants of ``stats.view``.

- national scope (the commission, analysts; a territorial grant without a territory is the whole
  country): every figure, exact — except municipality-level cells, protected for everyone (§4);
- territory scope: the figures of their department(s), small cells protected;
- institution scope: what their institution sent and received, small cells protected;
- anyone else, and every public page: protected."""

from __future__ import annotations

from dataclasses import dataclass

from ruta.geo.models import Department
from ruta.institutions.models import Institution
from ruta.policy import access
from ruta.policy.access import Reader
from ruta.policy.permissions import PlatformPermission
from ruta.policy.roles import Scope


@dataclass(frozen=True)
class Reach:
    exact: bool
    # Department codes a territorial reader is limited to (empty: not limited by territory).
    departments: tuple[str, ...] = ()
    # Institution codes whose own figures the reader sees (institutional dashboard).
    institutions: tuple[str, ...] = ()

    @property
    def territorial(self) -> bool:
        return not self.exact and bool(self.departments)


PUBLIC = Reach(exact=False)


def reach_of(user: Reader) -> Reach:
    found = access.grants(user, PlatformPermission.STATS_VIEW)
    if not found:
        return PUBLIC
    territorial = [grant for grant in found if grant.scope == Scope.TERRITORY]
    if any(grant.scope == Scope.NATIONAL for grant in found) or any(
        grant.department_id is None and grant.municipality_id is None for grant in territorial
    ):
        return Reach(exact=True, institutions=_institution_codes(found))
    department_ids = {grant.department_id for grant in territorial if grant.department_id}
    # A municipal grant is widened to nothing finer than its department's protected figures.
    municipal = [grant.municipality_id for grant in territorial if grant.municipality_id and not grant.department_id]
    codes = set(Department.objects.filter(pk__in=department_ids).values_list("code", flat=True))
    codes |= set(Department.objects.filter(municipalities__pk__in=municipal).values_list("code", flat=True))
    return Reach(exact=False, departments=tuple(sorted(codes)), institutions=_institution_codes(found))


def _institution_codes(found: list[access.Grant]) -> tuple[str, ...]:
    ids = {grant.institution_id for grant in found}
    return tuple(sorted(Institution.objects.filter(pk__in=ids).values_list("code", flat=True)))
