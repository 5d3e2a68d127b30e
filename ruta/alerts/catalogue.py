"""Default community signals, priority levels and priority rules (DESIGN §3), as plain data.

The data migration loads these once; afterwards they are administrators' data (Django admin), so a
country can relabel signals, change deadlines or rewrite the rules without code. Codes are fixed."""

from __future__ import annotations

from typing import Any

RECRUITMENT, CONTROL, EXPLOITATION, NONE = "recruitment", "control", "exploitation", "none"

# (code, group, danger, labels by language: short plain words a reporter understands)
DEFAULT_SIGNALS: list[tuple[str, str, bool, dict[str, str]]] = [
    (
        "S01",
        RECRUITMENT,
        False,
        {
            "es": "Le ofrecieron un trabajo, estudios o matrimonio en otro lugar que parece demasiado bueno o falso",
            "en": "Was offered a job, studies or marriage elsewhere that seems too good to be true or false",
            "fr": "On lui a proposé un emploi, des études ou un mariage ailleurs qui semble trop beau ou faux",
        },
    ),
    (
        "S02",
        RECRUITMENT,
        False,
        {
            "es": "Se la llevaron o la reclutaron a la fuerza, con amenazas o secuestro",
            "en": "Was taken or recruited by force, threats or kidnapping",
            "fr": "A été emmenée ou recrutée de force, par des menaces ou un enlèvement",
        },
    ),
    (
        "S03",
        RECRUITMENT,
        False,
        {
            "es": "Otra persona la llevó a través de una frontera o lejos de su casa",
            "en": "Was moved across a border or far from home by someone else",
            "fr": "A été emmenée à l'étranger ou loin de chez elle par quelqu'un d'autre",
        },
    ),
    (
        "S04",
        CONTROL,
        False,
        {
            "es": "Debe una deuda al reclutador o al patrón que sigue creciendo",
            "en": "Owes a debt to the recruiter or employer that keeps growing",
            "fr": "Doit une dette au recruteur ou à l'employeur qui ne cesse d'augmenter",
        },
    ),
    (
        "S05",
        CONTROL,
        False,
        {
            "es": "Otra persona le guarda sus documentos de identidad",
            "en": "Someone else keeps their identity documents",
            "fr": "Quelqu'un d'autre garde ses papiers d'identité",
        },
    ),
    (
        "S06",
        CONTROL,
        True,
        {
            "es": "No puede irse: está encerrada, vigilada o no la dejan salir",
            "en": "Cannot leave: locked in, watched, not allowed to go out",
            "fr": "Ne peut pas partir : enfermée, surveillée, interdite de sortir",
        },
    ),
    (
        "S07",
        CONTROL,
        True,
        {
            "es": "Violencia o amenazas contra la persona o su familia",
            "en": "Violence or threats against the person or their family",
            "fr": "Violences ou menaces contre la personne ou sa famille",
        },
    ),
    (
        "S08",
        CONTROL,
        False,
        {
            "es": "Otra persona habla por ella, le guarda el dinero o el teléfono",
            "en": "Someone else speaks for them, keeps their money or phone",
            "fr": "Quelqu'un d'autre parle à sa place, garde son argent ou son téléphone",
        },
    ),
    (
        "S09",
        CONTROL,
        False,
        {
            "es": "Aislada: sin contacto con su familia, no sabe dónde está",
            "en": "Isolated: no contact with family, does not know where they are",
            "fr": "Isolée : sans contact avec sa famille, ne sait pas où elle se trouve",
        },
    ),
    (
        "S10",
        EXPLOITATION,
        False,
        {
            "es": "No le pagan o le retienen el salario",
            "en": "Unpaid or wages withheld",
            "fr": "N'est pas payée ou son salaire est retenu",
        },
    ),
    (
        "S11",
        EXPLOITATION,
        False,
        {
            "es": "Horarios excesivos, trabajo peligroso o condiciones de vida degradantes",
            "en": "Excessive hours, dangerous work or degrading living conditions",
            "fr": "Horaires excessifs, travail dangereux ou conditions de vie dégradantes",
        },
    ),
    (
        "S12",
        EXPLOITATION,
        False,
        {
            "es": "Sexo pagado, prostitución o imágenes sexuales de la persona",
            "en": "Paid sex, prostitution or sexual images involving the person",
            "fr": "Relations sexuelles payées, prostitution ou images sexuelles de la personne",
        },
    ),
    (
        "S13",
        EXPLOITATION,
        False,
        {
            "es": "Mendicidad forzada, obligada a cometer delitos o matrimonio forzado",
            "en": "Forced begging, forced crime or forced marriage",
            "fr": "Mendicité forcée, délits forcés ou mariage forcé",
        },
    ),
    (
        "S14",
        EXPLOITATION,
        False,
        {
            "es": "Una niña, niño o adolescente trabajando (bares, de noche, trabajo doméstico o peligroso)",
            "en": "A child or adolescent working (bars, night work, domestic work, dangerous work)",
            "fr": "Un enfant ou adolescent qui travaille (bars, travail de nuit, domestique ou dangereux)",
        },
    ),
    (
        "S15",
        NONE,
        False,
        {
            "es": "Persona desaparecida después de una oferta o un viaje",
            "en": "Missing person after an offer or a trip",
            "fr": "Personne disparue après une offre ou un voyage",
        },
    ),
]

# (code, labels, acknowledge within hours, first response within hours)
DEFAULT_LEVELS: list[tuple[str, dict[str, str], int, int]] = [
    ("P1", {"es": "Inmediata", "en": "Immediate", "fr": "Immédiate"}, 1, 24),
    ("P2", {"es": "Alta", "en": "High", "fr": "Haute"}, 4, 72),
    ("P3", {"es": "Media", "en": "Medium", "fr": "Moyenne"}, 24, 7 * 24),
    ("P4", {"es": "Baja", "en": "Low", "fr": "Basse"}, 72, 30 * 24),
]

# Each rule is a conjunction; the alert takes the priority of the first rule (by priority, then
# order) that matches, and P4 when none does.
DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "code": "P1-danger-now",
        "priority": "P1",
        "order": 10,
        "requires_happening_now": True,
        "requires_danger_signal": True,
        "labels": {
            "es": "Está ocurriendo ahora y la persona no puede irse o sufre violencia o amenazas",
            "en": "Happening now and the person cannot leave or faces violence or threats",
            "fr": "Se produit maintenant et la personne ne peut pas partir ou subit des violences ou menaces",
        },
    },
    {
        "code": "P1-child-sexual",
        "priority": "P1",
        "order": 20,
        "requires_child": True,
        "any_of_signals": ["S12"],
        "labels": {
            "es": "Una niña, niño o adolescente y explotación sexual",
            "en": "A child and sexual exploitation",
            "fr": "Un enfant et exploitation sexuelle",
        },
    },
    {
        "code": "P1-child-missing",
        "priority": "P1",
        "order": 30,
        "requires_child": True,
        "any_of_signals": ["S15"],
        "labels": {
            "es": "Una niña, niño o adolescente desaparecido",
            "en": "A missing child",
            "fr": "Un enfant disparu",
        },
    },
    {
        "code": "P2-child-signal",
        "priority": "P2",
        "order": 10,
        "requires_child": True,
        "min_signals": 1,
        "labels": {
            "es": "Una niña, niño o adolescente y al menos una señal",
            "en": "A child and at least one signal",
            "fr": "Un enfant et au moins un signal",
        },
    },
    {
        "code": "P2-two-groups",
        "priority": "P2",
        "order": 20,
        "min_groups": 2,
        "labels": {
            "es": "Señales de dos o más grupos (captación, control, explotación)",
            "en": "Signals from two or more groups (recruitment, control, exploitation)",
            "fr": "Signaux de deux groupes ou plus (recrutement, contrôle, exploitation)",
        },
    },
    {
        "code": "P3-any-signal",
        "priority": "P3",
        "order": 10,
        "min_signals": 1,
        "labels": {"es": "Al menos una señal", "en": "At least one signal", "fr": "Au moins un signal"},
    },
]
