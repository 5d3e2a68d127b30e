"""The real Honduran institutions of the national response, and the service catalogue, as demo and
test data. Contacts are placeholders (never real people's details)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from ruta.geo.models import Department, Municipality
from ruta.institutions.models import ContactPoint, Institution, InstitutionService, InstitutionType, ServiceCategory

T = InstitutionType

SERVICE_CATEGORIES: list[tuple[str, str, dict[str, str]]] = [
    ("shelter", "shelter", {"es": "Albergue o casa de acogida", "en": "Shelter", "fr": "Hébergement"}),
    ("health_care", "health", {"es": "Atención médica", "en": "Health care", "fr": "Soins de santé"}),
    (
        "psychosocial",
        "psychosocial",
        {"es": "Atención psicosocial", "en": "Psychosocial support", "fr": "Soutien psychosocial"},
    ),
    ("legal_aid", "legal", {"es": "Asesoría y representación legal", "en": "Legal aid", "fr": "Aide juridique"}),
    (
        "protection",
        "safety",
        {"es": "Protección y seguridad", "en": "Protection and safety", "fr": "Protection et sécurité"},
    ),
    (
        "child_protection",
        "family",
        {
            "es": "Medidas de protección de la niñez",
            "en": "Child protection measures",
            "fr": "Mesures de protection de l'enfance",
        },
    ),
    (
        "education",
        "education",
        {"es": "Reinserción educativa", "en": "Return to education", "fr": "Réinsertion scolaire"},
    ),
    (
        "economic",
        "economic",
        {
            "es": "Reintegración económica y empleo",
            "en": "Economic reintegration and jobs",
            "fr": "Réintégration économique et emploi",
        },
    ),
    (
        "family_reintegration",
        "family",
        {"es": "Reintegración familiar", "en": "Family reintegration", "fr": "Réintégration familiale"},
    ),
    (
        "migration",
        "migration",
        {
            "es": "Asistencia migratoria y retorno",
            "en": "Migration and return assistance",
            "fr": "Assistance migratoire et retour",
        },
    ),
    ("documents", "legal", {"es": "Documentos de identidad", "en": "Identity documents", "fr": "Documents d'identité"}),
    (
        "investigation",
        "legal",
        {"es": "Investigación criminal", "en": "Criminal investigation", "fr": "Enquête pénale"},
    ),
    ("prosecution", "legal", {"es": "Persecución penal", "en": "Prosecution", "fr": "Poursuites pénales"}),
    (
        "labour_inspection",
        "economic",
        {"es": "Inspección del trabajo", "en": "Labour inspection", "fr": "Inspection du travail"},
    ),
    ("first_response", "safety", {"es": "Respuesta inmediata", "en": "Immediate response", "fr": "Réponse immédiate"}),
    ("training", "", {"es": "Capacitación", "en": "Training", "fr": "Formation"}),
]


@dataclass(frozen=True)
class InstitutionSpec:
    code: str
    name: str
    short_name: str
    type: str
    headquarters: str  # municipality code
    national: bool
    services: tuple[str, ...]
    parent: str = ""
    departments: tuple[str, ...] = ()


INSTITUTIONS: list[InstitutionSpec] = [
    InstitutionSpec(
        "cicesct",
        "Comisión Interinstitucional contra la Explotación Sexual Comercial y Trata de Personas",
        "CICESCT",
        T.COMMISSION,
        "0801",
        True,
        ("training",),
    ),
    InstitutionSpec(
        "eri",
        "Equipo de Respuesta Inmediata de la CICESCT",
        "ERI",
        T.IMMEDIATE_RESPONSE_TEAM,
        "0801",
        True,
        ("first_response", "psychosocial", "protection", "migration"),
        parent="cicesct",
    ),
    InstitutionSpec(
        "stss",
        "Secretaría de Trabajo y Seguridad Social — Dirección General de Inspección del Trabajo",
        "STSS",
        T.LABOUR_INSPECTORATE,
        "0801",
        True,
        ("labour_inspection",),
    ),
    InstitutionSpec(
        "dpi",
        "Policía Nacional — Dirección Policial de Investigaciones, unidad contra la trata",
        "DPI",
        T.POLICE,
        "0801",
        True,
        ("investigation", "protection"),
    ),
    InstitutionSpec(
        "mp",
        "Ministerio Público — Unidad contra la Trata, Explotación Sexual Comercial y Tráfico Ilícito de Personas",
        "MP-UTESCTP",
        T.PROSECUTOR,
        "0801",
        True,
        ("prosecution", "legal_aid"),
    ),
    InstitutionSpec("pj", "Poder Judicial", "PJ", T.JUDICIARY, "0801", True, ()),
    InstitutionSpec("sesal", "Secretaría de Salud", "SESAL", T.HEALTH, "0801", True, ("health_care", "psychosocial")),
    InstitutionSpec("seduc", "Secretaría de Educación", "SEDUC", T.EDUCATION, "0801", True, ("education",)),
    InstitutionSpec(
        "senaf",
        "Secretaría de Niñez, Adolescencia y Familia",
        "SENAF",
        T.CHILD_PROTECTION,
        "0801",
        True,
        ("child_protection", "shelter", "family_reintegration"),
    ),
    InstitutionSpec(
        "amdc",
        "Alcaldía Municipal del Distrito Central",
        "AMDC",
        T.MUNICIPALITY,
        "0801",
        False,
        ("economic", "documents"),
        departments=("08",),
    ),
    InstitutionSpec(
        "sps",
        "Municipalidad de San Pedro Sula",
        "MSPS",
        T.MUNICIPALITY,
        "0501",
        False,
        ("economic", "psychosocial"),
        departments=("05",),
    ),
    InstitutionSpec(
        "casa-alianza",
        "Casa Alianza Honduras",
        "Casa Alianza",
        T.NGO,
        "0801",
        False,
        ("shelter", "psychosocial", "legal_aid", "education"),
        departments=("08", "05"),
    ),
    InstitutionSpec(
        "oim",
        "Organización Internacional para las Migraciones — Honduras",
        "OIM",
        T.INTERNATIONAL,
        "0801",
        True,
        ("migration", "economic"),
    ),
    InstitutionSpec(
        "ong-fortalece",
        "Red de Fortalecimiento contra la Trata (ONG de apoyo, demo)",
        "RFT",
        T.NGO,
        "0501",
        True,
        ("training",),
    ),
]


@transaction.atomic
def seed_institutions() -> dict[str, Institution]:
    """Create or update the catalogue and the institutions; safe to run again."""
    categories = {}
    for order, (code, area, labels) in enumerate(SERVICE_CATEGORIES):
        categories[code], _ = ServiceCategory.objects.update_or_create(
            code=code, defaults={"labels": labels, "needs_area": area, "sort_order": order}
        )
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in={s.headquarters for s in INSTITUTIONS})}
    departments = {d.code: d for d in Department.objects.all()}
    institutions: dict[str, Institution] = {}
    for spec in INSTITUTIONS:
        institution, _ = Institution.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "short_name": spec.short_name,
                "type": spec.type,
                "headquarters": municipalities.get(spec.headquarters),
                "national_coverage": spec.national,
                "parent": institutions.get(spec.parent),
                "phone": "145" if spec.code in ("cicesct", "eri") else "",
            },
        )
        institution.departments.set([departments[code] for code in spec.departments])
        for code in spec.services:
            service, _ = InstitutionService.objects.get_or_create(
                institution=institution, category=categories[code], defaults={"national_coverage": spec.national}
            )
            service.departments.set([departments[code] for code in spec.departments])
        ContactPoint.objects.get_or_create(
            institution=institution,
            name=f"Punto focal {spec.short_name}",
            defaults={"position": "Enlace de referencias (demo)", "is_referral_focal_point": True},
        )
        institutions[spec.code] = institution
    return institutions
