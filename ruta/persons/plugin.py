"""What the persons app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from ruta.core.plugins import mount_api, mount_pages
from ruta.persons.permissions import PersonPermission
from ruta.policy.roles import Scope, grant_table
from ruta.security.break_glass import honour_in_emergency

mount_pages("persons/", "ruta.persons.urls")
mount_api("ruta.api.persons")

P, S = PersonPermission, Scope
grant_table(
    {
        "eri_responder": {P.VIEW_IDENTITY: S.TEAM},
        "caseworker": {P.VIEW_IDENTITY: S.TEAM},
        "supervisor": {P.VIEW_IDENTITY: S.TEAM, P.MERGE: S.INSTITUTION},
        "eri_supervisor": {P.VIEW_IDENTITY: S.TEAM, P.MERGE: S.INSTITUTION},
    }
)
honour_in_emergency(PersonPermission.VIEW_IDENTITY)
