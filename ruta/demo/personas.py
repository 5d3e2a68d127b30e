"""One named person per role (and a few variants), used by the demo and by the tests' permission
matrix. Demo accounts only: `make run` prints them; never create them on a real deployment."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from ruta.accounts.models import Membership
from ruta.geo.models import Department
from ruta.institutions.models import Institution
from ruta.policy.access import forget_grants

DEMO_PASSWORD = "Ruta-demo-2026!"  # noqa: S105 - printed by `make run`; demo only


@dataclass(frozen=True)
class Persona:
    key: str
    username: str
    first_name: str
    last_name: str
    role: str
    institution: str
    department: str = ""


PERSONAS: list[Persona] = [
    Persona("administrator", "admin", "Ana", "Administradora", "administrator", "cicesct"),
    Persona("duty_officer", "oficial", "Óscar", "Oficial de Turno", "duty_officer", "cicesct"),
    Persona("hotline_operator", "operador145", "Olga", "Operadora", "hotline_operator", "cicesct"),
    Persona("community_reporter", "red", "Rosa", "Red Comunitaria", "community_reporter", "amdc", "08"),
    Persona("eri_responder", "eri", "Ernesto", "Respuesta", "eri_responder", "eri"),
    Persona("caseworker", "salud", "Sara", "Gestora de Salud", "caseworker", "sesal"),
    Persona("supervisor", "supervisora", "Silvia", "Supervisora", "eri_supervisor", "eri"),
    Persona("labour_inspector", "inspector", "Iván", "Inspector", "labour_inspector", "stss"),
    Persona("legal_liaison", "fiscalia", "Fabiola", "Enlace Fiscal", "legal_liaison", "mp"),
    Persona("analyst", "analista", "Andrés", "Analista", "analyst", "cicesct"),
    Persona("trainer", "formadora", "Fernanda", "Formadora", "trainer", "ong-fortalece"),
    Persona("study_coordinator", "estudio", "Estela", "Coordinadora de Estudio", "study_coordinator", "ong-fortalece"),
    Persona("enumerator", "encuestadora", "Elena", "Encuestadora", "enumerator", "ong-fortalece"),
    Persona(
        "training_coordinator",
        "coordinadora.formacion",
        "Claudia",
        "Coordinadora de Formación",
        "training_coordinator",
        "ong-fortalece",
    ),
    Persona(
        "inspection_supervisor",
        "supervisor.stss",
        "Susana",
        "Supervisora de Inspección",
        "inspection_supervisor",
        "stss",
    ),
    Persona("inspection_director", "director.stss", "Diego", "Director de Inspección", "inspection_director", "stss"),
    Persona(
        "network_coordinator", "coordinadora.red", "Carmen", "Coordinadora de Red", "network_coordinator", "amdc", "08"
    ),
    Persona(
        "municipal_focal_point", "enlace.municipal", "Marco", "Enlace Municipal", "municipal_focal_point", "amdc", "08"
    ),
    Persona(
        "territorial_analyst",
        "analista.atlantida",
        "Teresa",
        "Analista Territorial",
        "territorial_analyst",
        "cicesct",
        "01",
    ),
    # Variants that the access tests need: same role, another institution or territory.
    Persona("caseworker_ngo", "casa.alianza", "Carlos", "Gestor ONG", "caseworker", "casa-alianza"),
    Persona("eri_responder_north", "eri.norte", "Elena", "Respuesta Norte", "eri_responder", "eri", "05"),
    Persona("supervisor_health", "supervisor.salud", "Samuel", "Supervisor Salud", "supervisor", "sesal"),
]

PRIMARY_PERSONAS = [persona for persona in PERSONAS if persona.key == persona.role]


@transaction.atomic
def seed_personas(*, password: str = DEMO_PASSWORD, personas: list[Persona] | None = None) -> dict[str, object]:
    """Create the persona users and memberships (idempotent); returns users by persona key."""
    user_model = get_user_model()
    institutions = {i.code: i for i in Institution.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    users: dict[str, object] = {}
    for persona in personas or PERSONAS:
        user, created = user_model.objects.get_or_create(
            username=persona.username,
            defaults={
                "first_name": persona.first_name,
                "last_name": persona.last_name,
                "email": f"{persona.username}@demo.ruta.invalid",
                "is_staff": persona.role == "administrator",
                "is_superuser": False,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        Membership.objects.update_or_create(
            user=user,
            institution=institutions[persona.institution],
            role=persona.role,
            defaults={"department": departments.get(persona.department), "is_active": True},
        )
        forget_grants(user)
        users[persona.key] = user
    return users
