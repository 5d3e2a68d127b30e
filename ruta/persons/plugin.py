"""What the persons app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from ruta.core.plugins import mount_api, mount_pages
from ruta.persons import access_rules  # noqa: F401 - registers access rules
from ruta.persons.models import Person
from ruta.persons.permissions import PersonPermission
from ruta.persons.services import person_tokens_rebuild
from ruta.policy.roles import Scope, grant_table
from ruta.security.break_glass import honour_in_emergency
from ruta.security.keys import TokenRebuilder, register_token_rebuilder

mount_pages("persons/", "ruta.persons.urls")
mount_api("ruta.api.persons")
register_token_rebuilder(TokenRebuilder("persons.person.tokens", Person.objects.all, person_tokens_rebuild))

P, S = PersonPermission, Scope
grant_table(
    {
        "eri_responder": {P.VIEW_IDENTITY: S.TEAM},
        "caseworker": {P.VIEW_IDENTITY: S.TEAM},
        "supervisor": {P.VIEW_IDENTITY: S.TEAM, P.MERGE: S.INSTITUTION},
        "eri_supervisor": {P.VIEW_IDENTITY: S.TEAM, P.MERGE: S.INSTITUTION},
    }
)
honour_in_emergency(PersonPermission.VIEW, PersonPermission.VIEW_IDENTITY)
