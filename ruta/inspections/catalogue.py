"""Default data of labour inspection, loaded once by the data migration; afterwards it is the
ministry's data (Django admin). Codes are fixed, labels and weights are editable.

- Sectors: ISIC Rev. 4 sections, and the divisions (and one class) of the sectors where forced and
  child labour are most reported in Honduras. The risk weights are illustrative defaults for the
  ministry to set, not an official grading.
- The default protocol: the eleven steps agreed with the STSS, calling on the competencies of the
  labour inspectors' framework (codes LI-01..LI-13, seeded by ``ruta.competencies``).
- Legal bases: examples only, to be replaced by the ministry's validated provisions. No article is
  cited here on purpose: Ruta must never invent law.
"""

from __future__ import annotations

from typing import Any

ISIC_SOURCE = (
    "United Nations Statistics Division, International Standard Industrial Classification of All Economic "
    "Activities (ISIC), Revision 4, ST/ESA/STAT/SER.M/4/Rev.4, 2008. Risk weight: illustrative default."
)

# (code, level, section, risk weight, {es, en, fr})
SECTORS: list[tuple[str, str, str, int, dict[str, str]]] = [
    (
        "A",
        "section",
        "A",
        20,
        {
            "es": "Agricultura, ganadería, silvicultura y pesca",
            "en": "Agriculture, forestry and fishing",
            "fr": "Agriculture, sylviculture et pêche",
        },
    ),
    (
        "01",
        "division",
        "A",
        25,
        {
            "es": "Agricultura, ganadería, caza y actividades de servicios conexas",
            "en": "Crop and animal production, hunting and related service activities",
            "fr": "Culture et production animale, chasse et activités de soutien",
        },
    ),
    (
        "02",
        "division",
        "A",
        20,
        {
            "es": "Silvicultura y extracción de madera",
            "en": "Forestry and logging",
            "fr": "Sylviculture et exploitation forestière",
        },
    ),
    (
        "03",
        "division",
        "A",
        30,
        {"es": "Pesca y acuicultura", "en": "Fishing and aquaculture", "fr": "Pêche et aquaculture"},
    ),
    (
        "B",
        "section",
        "B",
        25,
        {"es": "Explotación de minas y canteras", "en": "Mining and quarrying", "fr": "Activités extractives"},
    ),
    (
        "07",
        "division",
        "B",
        30,
        {
            "es": "Extracción de minerales metalíferos",
            "en": "Mining of metal ores",
            "fr": "Extraction de minerais métalliques",
        },
    ),
    (
        "08",
        "division",
        "B",
        25,
        {
            "es": "Explotación de otras minas y canteras",
            "en": "Other mining and quarrying",
            "fr": "Autres activités extractives",
        },
    ),
    (
        "C",
        "section",
        "C",
        10,
        {"es": "Industrias manufactureras", "en": "Manufacturing", "fr": "Activités de fabrication"},
    ),
    (
        "10",
        "division",
        "C",
        10,
        {
            "es": "Elaboración de productos alimenticios",
            "en": "Manufacture of food products",
            "fr": "Fabrication de produits alimentaires",
        },
    ),
    (
        "13",
        "division",
        "C",
        15,
        {"es": "Fabricación de productos textiles", "en": "Manufacture of textiles", "fr": "Fabrication de textiles"},
    ),
    (
        "14",
        "division",
        "C",
        15,
        {
            "es": "Fabricación de prendas de vestir (maquila)",
            "en": "Manufacture of wearing apparel (maquila)",
            "fr": "Fabrication d'articles d'habillement (maquila)",
        },
    ),
    (
        "15",
        "division",
        "C",
        10,
        {
            "es": "Fabricación de productos de cuero y productos conexos",
            "en": "Manufacture of leather and related products",
            "fr": "Fabrication d'articles en cuir et d'articles similaires",
        },
    ),
    ("F", "section", "F", 15, {"es": "Construcción", "en": "Construction", "fr": "Construction"}),
    (
        "41",
        "division",
        "F",
        15,
        {"es": "Construcción de edificios", "en": "Construction of buildings", "fr": "Construction de bâtiments"},
    ),
    ("42", "division", "F", 15, {"es": "Obras de ingeniería civil", "en": "Civil engineering", "fr": "Génie civil"}),
    (
        "43",
        "division",
        "F",
        10,
        {
            "es": "Actividades especializadas de construcción",
            "en": "Specialized construction activities",
            "fr": "Activités de construction spécialisées",
        },
    ),
    (
        "I",
        "section",
        "I",
        15,
        {
            "es": "Actividades de alojamiento y de servicio de comidas",
            "en": "Accommodation and food service activities",
            "fr": "Activités d'hébergement et de restauration",
        },
    ),
    ("55", "division", "I", 20, {"es": "Actividades de alojamiento", "en": "Accommodation", "fr": "Hébergement"}),
    (
        "56",
        "division",
        "I",
        20,
        {
            "es": "Actividades de servicio de comidas y bebidas",
            "en": "Food and beverage service activities",
            "fr": "Restauration",
        },
    ),
    (
        "5630",
        "class",
        "I",
        35,
        {
            "es": "Actividades de servicio de bebidas (bares, centros nocturnos)",
            "en": "Beverage serving activities (bars, night venues)",
            "fr": "Débits de boissons (bars, établissements de nuit)",
        },
    ),
    (
        "T",
        "section",
        "T",
        30,
        {
            "es": "Actividades de los hogares como empleadores",
            "en": "Activities of households as employers",
            "fr": "Activités des ménages en tant qu'employeurs",
        },
    ),
    (
        "97",
        "division",
        "T",
        35,
        {
            "es": "Actividades de los hogares como empleadores de personal doméstico",
            "en": "Activities of households as employers of domestic personnel",
            "fr": "Activités des ménages en tant qu'employeurs de personnel domestique",
        },
    ),
    (
        "D",
        "section",
        "D",
        0,
        {
            "es": "Suministro de electricidad, gas, vapor y aire acondicionado",
            "en": "Electricity, gas, steam and air conditioning supply",
            "fr": "Production et distribution d'électricité, de gaz, de vapeur et climatisation",
        },
    ),
    (
        "E",
        "section",
        "E",
        5,
        {
            "es": "Suministro de agua; evacuación de aguas residuales, gestión de desechos y descontaminación",
            "en": "Water supply; sewerage, waste management and remediation activities",
            "fr": "Distribution d'eau; assainissement, gestion des déchets et remise en état",
        },
    ),
    (
        "G",
        "section",
        "G",
        5,
        {
            "es": "Comercio al por mayor y al por menor; reparación de vehículos automotores y motocicletas",
            "en": "Wholesale and retail trade; repair of motor vehicles and motorcycles",
            "fr": "Commerce de gros et de détail; réparation de véhicules automobiles et de motocycles",
        },
    ),
    (
        "H",
        "section",
        "H",
        5,
        {"es": "Transporte y almacenamiento", "en": "Transportation and storage", "fr": "Transport et entreposage"},
    ),
    (
        "J",
        "section",
        "J",
        0,
        {
            "es": "Información y comunicaciones",
            "en": "Information and communication",
            "fr": "Information et communication",
        },
    ),
    (
        "K",
        "section",
        "K",
        0,
        {
            "es": "Actividades financieras y de seguros",
            "en": "Financial and insurance activities",
            "fr": "Activités financières et d'assurances",
        },
    ),
    (
        "L",
        "section",
        "L",
        0,
        {"es": "Actividades inmobiliarias", "en": "Real estate activities", "fr": "Activités immobilières"},
    ),
    (
        "M",
        "section",
        "M",
        0,
        {
            "es": "Actividades profesionales, científicas y técnicas",
            "en": "Professional, scientific and technical activities",
            "fr": "Activités professionnelles, scientifiques et techniques",
        },
    ),
    (
        "N",
        "section",
        "N",
        5,
        {
            "es": "Actividades de servicios administrativos y de apoyo",
            "en": "Administrative and support service activities",
            "fr": "Activités de services administratifs et d'appui",
        },
    ),
    (
        "O",
        "section",
        "O",
        0,
        {
            "es": "Administración pública y defensa; planes de seguridad social de afiliación obligatoria",
            "en": "Public administration and defence; compulsory social security",
            "fr": "Administration publique et défense; sécurité sociale obligatoire",
        },
    ),
    ("P", "section", "P", 0, {"es": "Enseñanza", "en": "Education", "fr": "Enseignement"}),
    (
        "Q",
        "section",
        "Q",
        0,
        {
            "es": "Actividades de atención de la salud humana y de asistencia social",
            "en": "Human health and social work activities",
            "fr": "Activités pour la santé humaine et l'action sociale",
        },
    ),
    (
        "R",
        "section",
        "R",
        10,
        {
            "es": "Actividades artísticas, de entretenimiento y recreativas",
            "en": "Arts, entertainment and recreation",
            "fr": "Arts, spectacles et loisirs",
        },
    ),
    (
        "S",
        "section",
        "S",
        5,
        {
            "es": "Otras actividades de servicios",
            "en": "Other service activities",
            "fr": "Autres activités de services",
        },
    ),
    (
        "U",
        "section",
        "U",
        0,
        {
            "es": "Actividades de organizaciones y órganos extraterritoriales",
            "en": "Activities of extraterritorial organizations and bodies",
            "fr": "Activités des organisations et organismes extraterritoriaux",
        },
    ),
]

# (code, points per unit, cap, window in days, labels)
RISK_FACTORS: list[tuple[str, int, int, int, dict[str, str]]] = [
    (
        "sector",
        1,
        100,
        0,
        {"es": "Peso del sector económico", "en": "Economic sector weight", "fr": "Poids du secteur économique"},
    ),
    (
        "earlier_findings",
        15,
        4,
        1095,
        {
            "es": "Visitas anteriores con hallazgos",
            "en": "Earlier visits with findings",
            "fr": "Visites antérieures avec constats",
        },
    ),
    ("complaints", 10, 5, 730, {"es": "Denuncias recibidas", "en": "Complaints received", "fr": "Plaintes reçues"}),
    (
        "area_alerts",
        1,
        20,
        365,
        {
            "es": "Alertas de trata en el municipio",
            "en": "Trafficking alerts in the municipality",
            "fr": "Alertes de traite dans la municipalité",
        },
    ),
]

# The community signal (alerts' catalogue) each forced-labour indicator is handed over as. FL01
# (abuse of vulnerability) has no community-signal equivalent and adds none.
INDICATOR_SIGNALS: dict[str, str] = {
    "FL02": "S01",
    "FL03": "S06",
    "FL04": "S09",
    "FL05": "S07",
    "FL06": "S07",
    "FL07": "S05",
    "FL08": "S10",
    "FL09": "S04",
    "FL10": "S11",
    "FL11": "S11",
}
# What a child found working and hazardous work are handed over as.
CHILD_WORKING_SIGNAL = "S14"
HAZARDOUS_WORK_SIGNAL = "S11"


def _t(es: str, en: str, fr: str) -> dict[str, str]:
    return {"es": es, "en": en, "fr": fr}


# (code, required, competencies, label, guidance, required evidence)
PROTOCOL_STEPS: list[tuple[str, bool, list[str], dict[str, str], dict[str, str], dict[str, str]]] = [
    (
        "preparation",
        True,
        ["LI-01", "LI-02", "LI-03"],
        _t("Preparación y plan de seguridad", "Preparation and safety plan", "Préparation et plan de sécurité"),
        _t(
            "Revise el historial del establecimiento y las alertas de la zona; acuerde con el equipo un plan de "
            "seguridad y a quién llamar si hay peligro.",
            "Review the establishment's history and the area's alerts; agree a safety plan with the team and who "
            "to call if there is danger.",
            "Examinez l'historique de l'établissement et les alertes de la zone ; convenez avec l'équipe d'un plan "
            "de sécurité et de qui appeler en cas de danger.",
        ),
        _t("Plan de seguridad acordado", "Agreed safety plan", "Plan de sécurité convenu"),
    ),
    (
        "entry",
        True,
        ["LI-03", "LI-12"],
        _t("Ingreso al centro de trabajo", "Entry to the workplace", "Entrée sur le lieu de travail"),
        _t(
            "Identifíquese, explique la facultad de inspección y anote quién le recibe.",
            "Identify yourself, explain the power to inspect and note who receives you.",
            "Présentez-vous, expliquez le pouvoir d'inspection et notez qui vous reçoit.",
        ),
        _t(
            "Hora de ingreso y persona que recibe",
            "Time of entry and who received you",
            "Heure d'entrée et interlocuteur",
        ),
    ),
    (
        "observation",
        True,
        ["LI-04"],
        _t("Observación de condiciones", "Observation of conditions", "Observation des conditions"),
        _t(
            "Recorra el lugar: condiciones de trabajo y de vivienda, puertas cerradas, vigilancia, menores presentes.",
            "Walk the site: working and living conditions, locked doors, guards, children present.",
            "Parcourez le site : conditions de travail et de logement, portes fermées, surveillance, enfants présents.",
        ),
        _t("Fotografías del lugar", "Photos of the site", "Photos du site"),
    ),
    (
        "documents",
        True,
        ["LI-05"],
        _t("Revisión de documentos", "Document review", "Examen des documents"),
        _t(
            "Planillas, contratos, registros de horas, documentos de identidad retenidos, deudas con el empleador.",
            "Payroll, contracts, time records, identity documents held by the employer, debts owed to the employer.",
            "Registres de paie, contrats, relevés d'heures, pièces d'identité retenues, dettes envers l'employeur.",
        ),
        _t(
            "Copia o foto de planillas y contratos",
            "Copy or photo of payroll and contracts",
            "Copie ou photo de la paie et des contrats",
        ),
    ),
    (
        "interviews",
        True,
        ["LI-06", "LI-09"],
        _t("Entrevistas privadas", "Private interviews", "Entretiens en privé"),
        _t(
            "Entreviste a cada persona a solas, sin el empleador; anónimo salvo consentimiento.",
            "Interview each worker alone, away from the employer; anonymous unless they consent.",
            "Entendez chaque travailleur seul, hors de la présence de l'employeur ; anonyme sauf consentement.",
        ),
        _t(
            "Una ficha por persona entrevistada",
            "One record per worker interviewed",
            "Une fiche par travailleur entendu",
        ),
    ),
    (
        "checklist",
        True,
        ["LI-07", "LI-08"],
        _t("Lista de indicadores", "Indicator checklist", "Liste des indicateurs"),
        _t(
            "Marque los indicadores de trabajo forzoso (FL01–FL11) de cada persona; si aparecen, haga el tamizaje "
            "formal OIT–CE.",
            "Tick each worker's forced-labour indicators (FL01–FL11); where they appear, do the formal ILO–EC "
            "screening.",
            "Cochez les indicateurs de travail forcé (FL01–FL11) de chaque travailleur ; s'il y en a, faites le "
            "dépistage formel OIT–CE.",
        ),
        _t("Indicadores por persona", "Indicators per worker", "Indicateurs par travailleur"),
    ),
    (
        "danger_decision",
        True,
        ["LI-02", "LI-09", "LI-11"],
        _t("Decisión de peligro inmediato", "Immediate-danger decision", "Décision de danger immédiat"),
        _t(
            "¿Alguien corre peligro ahora? Si sí, registre el peligro: se avisa al ERI y a la policía en el acto.",
            "Is anyone in danger now? If so, record it: the ERI and the police are told at once.",
            "Quelqu'un est-il en danger maintenant ? Si oui, enregistrez-le : l'ERI et la police sont avisés aussitôt.",
        ),
        _t("Qué se observó", "What was seen", "Ce qui a été observé"),
    ),
    (
        "closing_meeting",
        True,
        ["LI-03"],
        _t("Reunión de cierre", "Closing meeting", "Réunion de clôture"),
        _t(
            "Comunique al empleador las infracciones y plazos, sin revelar a quién se entrevistó.",
            "Tell the employer the infractions and deadlines without revealing who was interviewed.",
            "Communiquez à l'employeur les infractions et délais sans révéler qui a été entendu.",
        ),
        _t("Acta de cierre", "Closing record", "Procès-verbal de clôture"),
    ),
    (
        "report",
        True,
        ["LI-10"],
        _t("Informe", "Report", "Rapport"),
        _t(
            "Redacte el informe con hechos observados y pruebas, no opiniones.",
            "Write the report with observed facts and evidence, not opinions.",
            "Rédigez le rapport avec des faits observés et des preuves, pas des opinions.",
        ),
        _t("Informe de la visita", "Visit report", "Rapport de visite"),
    ),
    (
        "referral",
        False,
        ["LI-08", "LI-11", "LI-12"],
        _t("Derivación", "Referral", "Orientation"),
        _t(
            "Si hay indicios de trata o peligro, el caso pasa al ERI y a la policía; un niño trabajando, a la "
            "protección de la niñez.",
            "With signs of trafficking or danger the case goes to the ERI and the police; a child working, to "
            "child protection.",
            "En cas d'indices de traite ou de danger, le cas est transmis à l'ERI et à la police ; un enfant qui "
            "travaille, à la protection de l'enfance.",
        ),
        _t("Constancia de la derivación", "Record of the referral", "Trace de l'orientation"),
    ),
    (
        "follow_up",
        False,
        ["LI-01", "LI-10", "LI-13"],
        _t("Seguimiento", "Follow-up", "Suivi"),
        _t(
            "Programe la visita de seguimiento al vencer los plazos; cuide de sí y del equipo tras una visita difícil.",
            "Plan the follow-up visit for when the deadlines fall due; look after yourself and the team after a "
            "hard visit.",
            "Planifiez la visite de suivi à l'échéance des délais ; prenez soin de vous et de l'équipe après une "
            "visite difficile.",
        ),
        _t("Fecha de seguimiento", "Follow-up date", "Date de suivi"),
    ),
]

EXAMPLE_SOURCE = "Example row shipped with Ruta; replace it with the ministry's validated legal basis."
LEGAL_BASES: list[tuple[str, dict[str, str]]] = [
    (
        "example-wages",
        _t(
            "Ejemplo: salarios no pagados o retenidos (sustituir por la base legal del ministerio)",
            "Example: unpaid or withheld wages (replace with the ministry's legal basis)",
            "Exemple : salaires impayés ou retenus (à remplacer par la base légale du ministère)",
        ),
    ),
    (
        "example-hours",
        _t(
            "Ejemplo: jornada excesiva (sustituir por la base legal del ministerio)",
            "Example: excessive working hours (replace with the ministry's legal basis)",
            "Exemple : durée du travail excessive (à remplacer par la base légale du ministère)",
        ),
    ),
    (
        "example-child-labour",
        _t(
            "Ejemplo: trabajo infantil prohibido (sustituir por la base legal del ministerio)",
            "Example: prohibited child labour (replace with the ministry's legal basis)",
            "Exemple : travail des enfants interdit (à remplacer par la base légale du ministère)",
        ),
    ),
    (
        "example-documents",
        _t(
            "Ejemplo: retención de documentos de identidad (sustituir por la base legal del ministerio)",
            "Example: retention of identity documents (replace with the ministry's legal basis)",
            "Exemple : rétention de pièces d'identité (à remplacer par la base légale du ministère)",
        ),
    ),
]


def load_defaults(apps: Any) -> None:
    """Insert what is missing (never overwrites the ministry's edits); used by the data migration."""
    sector_model = apps.get_model("inspections", "Sector")
    for code, level, section, weight, labels in SECTORS:
        sector_model.objects.get_or_create(
            code=code,
            defaults={
                "level": level,
                "section": section,
                "risk_weight": weight,
                "labels": labels,
                "source": ISIC_SOURCE,
            },
        )
    factor_model = apps.get_model("inspections", "RiskFactor")
    for code, points, cap, window, labels in RISK_FACTORS:
        factor_model.objects.get_or_create(
            code=code, defaults={"points": points, "cap": cap, "window_days": window, "labels": labels}
        )
    signal_model = apps.get_model("inspections", "IndicatorSignal")
    for indicator, signal in INDICATOR_SIGNALS.items():
        signal_model.objects.get_or_create(indicator_code=indicator, defaults={"signal_code": signal})
    basis_model = apps.get_model("inspections", "LegalBasis")
    for code, labels in LEGAL_BASES:
        basis_model.objects.get_or_create(
            code=code, defaults={"labels": labels, "is_example": True, "source": EXAMPLE_SOURCE}
        )
    protocol_model = apps.get_model("inspections", "Protocol")
    step_model = apps.get_model("inspections", "ProtocolStep")
    for inspection_type in ("programmed", "complaint", "follow_up", "joint_operation"):
        if protocol_model.objects.filter(inspection_type=inspection_type).exists():
            continue
        protocol = protocol_model.objects.create(
            inspection_type=inspection_type, version=1, is_current=True, note="Default protocol agreed with the STSS."
        )
        step_model.objects.bulk_create(
            step_model(
                protocol=protocol,
                code=code,
                position=index,
                required=required,
                competency_codes=competencies,
                labels=labels,
                guidance=guidance,
                required_evidence=evidence,
            )
            for index, (code, required, competencies, labels, guidance, evidence) in enumerate(PROTOCOL_STEPS)
        )
