"""The labour inspectors' competency framework shipped with Ruta, as plain data.

An illustrative draft: the thirteen competency codes are fixed (the inspection protocol's steps name
them), the wording and target levels are to be replaced by the list the labour ministry validates.
Loaded by the data migration ``0002_labour_inspector_framework`` (and again after a ``flush``)."""

from __future__ import annotations

from typing import Any

FRAMEWORK_CODE = "labour-inspectors"
TARGET_ROLE = "labour_inspector"

FRAMEWORK: dict[str, Any] = {
    "code": FRAMEWORK_CODE,
    "labels": {
        "es": "Competencias de la inspección del trabajo frente al trabajo forzoso y la trata",
        "en": "Labour inspectors' competencies against forced labour and trafficking",
        "fr": "Compétences de l'inspection du travail face au travail forcé et à la traite",
    },
    "description_labels": {
        "es": "Borrador ilustrativo, a sustituir por la lista validada por la Secretaría de Trabajo (STSS).",
        "en": "Illustrative draft, to be replaced by the list validated by the Ministry of Labour (STSS).",
        "fr": "Projet illustratif, à remplacer par la liste validée par le ministère du Travail (STSS).",
    },
    "target_roles": [TARGET_ROLE],
    "version": "0.1",
    "source": 'ILO (2008), "Forced labour and human trafficking: a handbook for labour inspectors"',
    "status": "draft",
    "is_example": True,
}

# code → labels, in display order.
DOMAINS: list[tuple[str, dict[str, str]]] = [
    ("planning", {"es": "Planificación", "en": "Planning", "fr": "Planification"}),
    ("safety", {"es": "Seguridad", "en": "Safety", "fr": "Sécurité"}),
    ("legal_framework", {"es": "Marco legal", "en": "Legal framework", "fr": "Cadre juridique"}),
    ("identification", {"es": "Identificación", "en": "Identification", "fr": "Identification"}),
    ("interviewing", {"es": "Entrevistas", "en": "Interviewing", "fr": "Entretiens"}),
    ("child_protection", {"es": "Protección de la niñez", "en": "Child protection", "fr": "Protection de l'enfance"}),
    (
        "victim_centred",
        {
            "es": "Enfoque centrado en la víctima",
            "en": "Victim-centred approach",
            "fr": "Approche centrée sur la victime",
        },
    ),
    (
        "evidence_reporting",
        {"es": "Evidencia e informes", "en": "Evidence and reporting", "fr": "Preuves et rapports"},
    ),
    ("referral", {"es": "Derivación", "en": "Referral", "fr": "Orientation"}),
    ("coordination", {"es": "Coordinación", "en": "Coordination", "fr": "Coordination"}),
    ("self_care", {"es": "Autocuidado", "en": "Self-care", "fr": "Prendre soin de soi"}),
]

# (code, domain, labels, description labels, target level for labour inspectors)
COMPETENCIES: list[tuple[str, str, dict[str, str], dict[str, str], int]] = [
    (
        "LI-01",
        "planning",
        {
            "es": "Planificación de inspecciones basada en el riesgo",
            "en": "Risk-based planning of inspections",
            "fr": "Planification des inspections fondée sur les risques",
        },
        {
            "es": "Elige sectores, zonas y temporadas de mayor riesgo con datos de denuncias y alertas.",
            "en": "Chooses the sectors, areas and seasons of highest risk from complaints and alert data.",
            "fr": "Choisit les secteurs, zones et saisons à plus haut risque à partir des plaintes et alertes.",
        },
        3,
    ),
    (
        "LI-02",
        "safety",
        {
            "es": "Planificación de la seguridad del equipo de inspección",
            "en": "Safety planning for the inspection team",
            "fr": "Planification de la sécurité de l'équipe d'inspection",
        },
        {
            "es": "Evalúa los riesgos de la visita, acuerda acompañamiento y un plan de salida.",
            "en": "Assesses the visit's risks, arranges an escort and an exit plan.",
            "fr": "Évalue les risques de la visite, organise une escorte et un plan de sortie.",
        },
        3,
    ),
    (
        "LI-03",
        "legal_framework",
        {
            "es": "Marco legal: código del trabajo, ley contra la trata y facultades del inspector",
            "en": "Legal framework: labour code, anti-trafficking law and the inspector's powers",
            "fr": "Cadre juridique : code du travail, loi contre la traite et pouvoirs de l'inspecteur",
        },
        {
            "es": "Aplica las normas y sabe qué puede exigir, registrar y comunicar durante la visita.",
            "en": "Applies the law and knows what they may demand, record and report during a visit.",
            "fr": "Applique le droit et sait ce qu'il peut exiger, consigner et signaler pendant la visite.",
        },
        3,
    ),
    (
        "LI-04",
        "identification",
        {
            "es": "Observación de las condiciones de trabajo y de vida",
            "en": "Observation of working and living conditions",
            "fr": "Observation des conditions de travail et de vie",
        },
        {
            "es": "Observa encierro, vigilancia, alojamiento y condiciones de seguridad sin alertar al empleador.",
            "en": "Observes confinement, surveillance, housing and safety without alerting the employer.",
            "fr": "Observe l'enfermement, la surveillance, le logement et la sécurité sans alerter l'employeur.",
        },
        3,
    ),
    (
        "LI-05",
        "identification",
        {
            "es": "Revisión de planillas, contratos, documentos de identidad y deudas",
            "en": "Review of payroll, contracts, identity documents and debts",
            "fr": "Examen des fiches de paie, contrats, pièces d'identité et dettes",
        },
        {
            "es": "Detecta retención de documentos, deducciones abusivas y servidumbre por deudas.",
            "en": "Detects withheld documents, abusive deductions and debt bondage.",
            "fr": "Détecte la rétention de documents, les retenues abusives et la servitude pour dettes.",
        },
        3,
    ),
    (
        "LI-06",
        "interviewing",
        {
            "es": "Entrevistas privadas con trabajadores, informadas por el trauma",
            "en": "Private, trauma-informed interviews with workers",
            "fr": "Entretiens privés avec les travailleurs, tenant compte des traumatismes",
        },
        {
            "es": "Entrevista en privado, con intérprete si hace falta, sin revictimizar.",
            "en": "Interviews in private, with an interpreter when needed, without re-traumatising.",
            "fr": "Mène l'entretien en privé, avec interprète si besoin, sans retraumatiser.",
        },
        3,
    ),
    (
        "LI-07",
        "identification",
        {
            "es": "Reconocimiento de indicadores de trabajo forzoso y trata",
            "en": "Recognising forced-labour and trafficking indicators",
            "fr": "Reconnaissance des indicateurs de travail forcé et de traite",
        },
        {
            "es": "Reconoce los indicadores de la OIT y los registra con precisión.",
            "en": "Recognises the ILO indicators and records them accurately.",
            "fr": "Reconnaît les indicateurs de l'OIT et les consigne avec précision.",
        },
        4,
    ),
    (
        "LI-08",
        "child_protection",
        {
            "es": "Identificación del trabajo infantil y pasos de protección de la niñez",
            "en": "Identifying child labour and taking the child-protection steps",
            "fr": "Repérer le travail des enfants et prendre les mesures de protection de l'enfance",
        },
        {
            "es": "Identifica trabajo infantil peligroso y activa de inmediato a DINAF y la fiscalía.",
            "en": "Identifies hazardous child labour and alerts child protection and the prosecutor at once.",
            "fr": "Repère le travail dangereux des enfants et alerte sans délai la protection de l'enfance.",
        },
        4,
    ),
    (
        "LI-09",
        "victim_centred",
        {
            "es": "Enfoque centrado en la víctima: confidencialidad, consentimiento y seguridad",
            "en": "Victim-centred approach: confidentiality, consent and safety",
            "fr": "Approche centrée sur la victime : confidentialité, consentement et sécurité",
        },
        {
            "es": "Pone la seguridad y la voluntad de la persona por delante de la sanción.",
            "en": "Puts the person's safety and wishes before the sanction.",
            "fr": "Place la sécurité et la volonté de la personne avant la sanction.",
        },
        3,
    ),
    (
        "LI-10",
        "evidence_reporting",
        {
            "es": "Recolección de evidencia y redacción de informes",
            "en": "Evidence gathering and report writing",
            "fr": "Collecte de preuves et rédaction de rapports",
        },
        {
            "es": "Documenta hechos verificables que la fiscalía pueda usar.",
            "en": "Documents verifiable facts a prosecutor can use.",
            "fr": "Documente des faits vérifiables utilisables par le parquet.",
        },
        3,
    ),
    (
        "LI-11",
        "referral",
        {
            "es": "Derivación al ERI, la policía, la fiscalía y la protección de la niñez",
            "en": "Referral to the ERI, police, prosecutor and child protection",
            "fr": "Orientation vers l'ERI, la police, le parquet et la protection de l'enfance",
        },
        {
            "es": "Deriva a tiempo por la ruta de atención, con el consentimiento de la persona.",
            "en": "Refers on time along the referral route, with the person's consent.",
            "fr": "Oriente à temps le long du parcours de prise en charge, avec le consentement de la personne.",
        },
        3,
    ),
    (
        "LI-12",
        "coordination",
        {
            "es": "Operativos conjuntos y coordinación interinstitucional",
            "en": "Joint operations and inter-institutional coordination",
            "fr": "Opérations conjointes et coordination interinstitutionnelle",
        },
        {
            "es": "Prepara y ejecuta operativos con otras instituciones respetando el papel de cada una.",
            "en": "Prepares and carries out joint operations, respecting each institution's role.",
            "fr": "Prépare et mène des opérations conjointes en respectant le rôle de chaque institution.",
        },
        2,
    ),
    (
        "LI-13",
        "self_care",
        {
            "es": "Autocuidado y manejo del estrés",
            "en": "Self-care and stress management",
            "fr": "Prendre soin de soi et gestion du stress",
        },
        {
            "es": "Reconoce el desgaste propio y del equipo y busca apoyo.",
            "en": "Recognises their own and the team's strain and seeks support.",
            "fr": "Reconnaît son usure et celle de l'équipe et cherche du soutien.",
        },
        2,
    ),
]

# level → (labels, descriptor labels)
LEVELS: list[tuple[int, dict[str, str], dict[str, str]]] = [
    (
        1,
        {"es": "Inicial", "en": "Beginner", "fr": "Débutant"},
        {
            "es": "Conoce el tema de forma general; necesita guía para aplicarlo.",
            "en": "Knows the subject in general terms; needs guidance to apply it.",
            "fr": "Connaît le sujet dans les grandes lignes ; a besoin d'être guidé pour l'appliquer.",
        },
    ),
    (
        2,
        {"es": "En desarrollo", "en": "Developing", "fr": "En progression"},
        {
            "es": "Lo aplica en situaciones sencillas, con supervisión.",
            "en": "Applies it in simple situations, with supervision.",
            "fr": "L'applique dans des situations simples, sous supervision.",
        },
    ),
    (
        3,
        {"es": "Competente", "en": "Competent", "fr": "Compétent"},
        {
            "es": "Lo aplica con autonomía en la mayoría de las situaciones.",
            "en": "Applies it independently in most situations.",
            "fr": "L'applique en autonomie dans la plupart des situations.",
        },
    ),
    (
        4,
        {"es": "Experto", "en": "Expert", "fr": "Expert"},
        {
            "es": "Lo domina en casos complejos y puede enseñarlo a otras personas.",
            "en": "Masters it in complex cases and can teach it to others.",
            "fr": "Le maîtrise dans les cas complexes et peut l'enseigner à d'autres.",
        },
    ),
]


def load(apps: Any, schema_editor: Any = None) -> None:
    """Create or refresh the framework (idempotent); works with the migration's historical models."""
    framework_model = apps.get_model("competencies", "Framework")
    domain_model = apps.get_model("competencies", "CompetencyDomain")
    competency_model = apps.get_model("competencies", "Competency")
    level_model = apps.get_model("competencies", "ProficiencyLevel")
    target_model = apps.get_model("competencies", "TargetLevel")
    fields = {key: value for key, value in FRAMEWORK.items() if key != "code"}
    framework, _created = framework_model.objects.update_or_create(code=FRAMEWORK_CODE, defaults=fields)
    domains = {}
    for order, (code, labels) in enumerate(DOMAINS, start=1):
        domains[code], _created = domain_model.objects.update_or_create(
            framework=framework, code=code, defaults={"labels": labels, "order": order}
        )
    for order, (code, domain, labels, descriptions, target) in enumerate(COMPETENCIES, start=1):
        competency, _created = competency_model.objects.update_or_create(
            framework=framework,
            code=code,
            defaults={"domain": domains[domain], "labels": labels, "description_labels": descriptions, "order": order},
        )
        target_model.objects.update_or_create(
            competency=competency, role=TARGET_ROLE, defaults={"framework": framework, "level": target}
        )
    for level, labels, descriptors in LEVELS:
        level_model.objects.update_or_create(
            framework=framework, level=level, defaults={"labels": labels, "descriptor_labels": descriptors}
        )
