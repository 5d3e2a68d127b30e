"""Demo training: a course built from the labour inspectors' framework, its question bank, and a
session held four months ago in Tegucigalpa with enrolments, attendance, pre- and post-tests,
the satisfaction survey and certificates (one participant missed a day: no certificate). Idempotent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ruta.accounts.models import Membership
from ruta.competencies.inspector_framework import FRAMEWORK_CODE, TARGET_ROLE
from ruta.competencies.models import Competency, Framework
from ruta.geo.models import Department
from ruta.institutions.models import Institution
from ruta.training import services
from ruta.training.models import (
    Certificate,
    Course,
    Enrolment,
    QuestionKind,
    QuizKind,
    SessionTest,
    TrainingSession,
)

COURSE_TITLE = "Inspección del trabajo frente al trabajo forzoso y la trata: curso básico"

# (competency code, kind, text, choices, right keys)
QUESTIONS: list[tuple[str, str, str, list[str], list[str]]] = [
    (
        "LI-03",
        QuestionKind.SINGLE,
        "¿Qué puede hacer el inspector si el empleador le niega la entrada al centro de trabajo?",
        [
            "Retirarse y archivar el caso",
            "Dejar constancia y pedir el auxilio de la fuerza pública",
            "Multar al trabajador",
        ],
        ["c2"],
    ),
    (
        "LI-03",
        QuestionKind.TRUE_FALSE,
        "La Ley contra la Trata de Personas se aplica también a la explotación laboral.",
        [],
        ["true"],
    ),
    (
        "LI-04",
        QuestionKind.MULTIPLE,
        "¿Cuáles de estas condiciones de vivienda son indicios de trabajo forzoso?",
        ["Dormitorios bajo llave desde fuera", "Alojamiento dentro del recinto sin libertad de salida", "Agua potable"],
        ["c1", "c2"],
    ),
    (
        "LI-04",
        QuestionKind.TRUE_FALSE,
        "Observar las condiciones de trabajo solo es necesario si hay una denuncia.",
        [],
        ["false"],
    ),
    (
        "LI-06",
        QuestionKind.SINGLE,
        "¿Dónde debe entrevistarse a un trabajador?",
        ["Frente al capataz", "En privado, sin presencia del empleador", "En la oficina del gerente"],
        ["c2"],
    ),
    (
        "LI-06",
        QuestionKind.SHORT,
        "Escriba una pregunta abierta para iniciar la entrevista con un trabajador.",
        [],
        [],
    ),
    (
        "LI-07",
        QuestionKind.MULTIPLE,
        "¿Cuáles son indicadores de trabajo forzoso de la OIT?",
        ["Retención de documentos de identidad", "Servidumbre por deudas", "Pago puntual del salario mínimo"],
        ["c1", "c2"],
    ),
    (
        "LI-07",
        QuestionKind.SINGLE,
        "Un trabajador no puede irse porque debe el costo de su transporte. Esto es un indicio de:",
        ["Servidumbre por deudas", "Contrato temporal", "Horas extra pagadas"],
        ["c1"],
    ),
    (
        "LI-08",
        QuestionKind.TRUE_FALSE,
        "Si encuentra a un niño en trabajo peligroso, debe notificar de inmediato a la DINAF.",
        [],
        ["true"],
    ),
    (
        "LI-08",
        QuestionKind.SINGLE,
        "¿Cuál es la edad mínima general de admisión al empleo en Honduras?",
        ["12 años", "14 años", "18 años"],
        ["c2"],
    ),
    (
        "LI-11",
        QuestionKind.SINGLE,
        "Ante una posible víctima de trata, ¿a quién se deriva para la atención inmediata?",
        ["Al Equipo de Respuesta Inmediata (ERI)", "Al empleador", "A nadie, solo se multa"],
        ["c1"],
    ),
    (
        "LI-11",
        QuestionKind.TRUE_FALSE,
        "La derivación requiere el consentimiento informado de la persona adulta, salvo riesgo inminente.",
        [],
        ["true"],
    ),
]

PARTICIPANTS = [
    ("demo.inspectora.1", "Gabriela", "Mejía"),
    ("demo.inspector.2", "Héctor", "Zelaya"),
    ("demo.inspectora.3", "Karen", "Paz"),
    ("demo.inspector.4", "Luis", "Castillo"),
]


def _participants(users: dict[str, Any]) -> list[Any]:
    """The inspector persona and a few more STSS inspectors (accounts that cannot log in)."""
    stss = Institution.objects.get(code="stss")
    found = [users["labour_inspector"]]
    for username, first_name, last_name in PARTICIPANTS:
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@demo.ruta.invalid"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, institution=stss, role=TARGET_ROLE)
        found.append(user)
    return found


def _answers(test: SessionTest, participant_index: int, *, knows: int) -> dict[int, list[str]]:
    """A participant answers right the first ``knows`` items, in a rotating order, wrong the rest."""
    questions = list(test.questions.order_by("pk"))
    answers: dict[int, list[str]] = {}
    for position, question in enumerate(questions):
        right = (position + participant_index) % len(questions) < knows
        if question.kind == QuestionKind.SHORT:
            answers[question.pk] = ["¿Me puede contar cómo es un día normal de trabajo aquí?"]
        elif right:
            answers[question.pk] = list(question.correct)
        else:
            wrong = [choice["key"] for choice in question.choices if choice["key"] not in question.correct]
            answers[question.pk] = wrong[:1]
    return answers


@transaction.atomic
def seed(users: dict[str, Any]) -> dict[str, int]:
    existing = Course.objects.filter(title=COURSE_TITLE).first()
    if existing is not None:
        return {"courses": 1, "certificates": Certificate.objects.filter(enrolment__session__course=existing).count()}
    framework = Framework.objects.filter(code=FRAMEWORK_CODE).first()
    if framework is None:
        return {"courses": 0}
    coordinator = users.get("training_coordinator") or users["trainer"]
    trainer = users["trainer"]
    institution = Institution.objects.get(code="stss")
    competencies = {c.code: c for c in Competency.objects.filter(framework=framework)}
    course = services.course_from_framework(
        actor=coordinator,
        institution=institution,
        framework=framework,
        competencies=[competencies[code] for code in sorted({row[0] for row in QUESTIONS})],
        title=COURSE_TITLE,
        role=TARGET_ROLE,
        hours_per_module=Decimal("2.5"),
        description="Curso presencial de dos días para inspectores e inspectoras de la STSS.",
    )
    for code, kind, text, choices, right in QUESTIONS:
        services.question_create(
            actor=trainer,
            competency=competencies[code],
            kind=kind,
            text=text,
            choices=[{"key": f"c{n}", "text": choice} for n, choice in enumerate(choices, start=1)],
            correct=right,
        )
    starts = timezone.localdate() - timedelta(days=120)
    session = services.session_create(
        actor=coordinator,
        course=course,
        institution=institution,
        starts_on=starts,
        ends_on=starts + timedelta(days=1),
        capacity=20,
        trainers=[trainer],
        place="Centro de capacitación de la STSS, Tegucigalpa",
        department=Department.objects.filter(code="08").first(),
    )
    participants = _participants(users)
    enrolments = [
        services.enrol(actor=coordinator, session=session, participant=person, institution=institution)
        for person in participants
    ]
    days = list(session.days.all())
    for index, enrolment in enumerate(enrolments):
        attended = days if index != len(enrolments) - 1 else days[:1]  # the last one missed the second day
        for day in attended:
            services.attendance_record(actor=trainer, enrolment=enrolment, on=day.date, method="qr")
    services.tests_draw(actor=trainer, session=session, per_competency=2)
    for kind, knows in ((QuizKind.PRE, 5), (QuizKind.POST, 10)):
        test = session.tests.get(kind=kind)
        services.test_advance(actor=trainer, test=test)
        for index, enrolment in enumerate(enrolments):
            services.test_submit(
                actor=enrolment.participant,
                test=test,
                enrolment=enrolment,
                responses=_answers(test, index, knows=knows + index % 2),
                key=f"demo-{session.pk}-{kind}-{enrolment.pk}",
            )
        for position, submission in enumerate(test.submissions.order_by("pk")):
            for answer in submission.answers.filter(is_correct__isnull=True):
                services.answer_mark(actor=trainer, answer=answer, correct=kind == QuizKind.POST or position % 2 == 0)
        services.test_advance(actor=trainer, test=test)
    for index, enrolment in enumerate(enrolments[:-1]):
        services.survey_submit(
            actor=enrolment.participant,
            enrolment=enrolment,
            ratings={"relevant": 5, "clear": 4 + index % 2, "practice": 3 + index % 2, "materials": 4, "apply": 5},
            comment="Muy útiles los casos prácticos de entrevistas." if index == 0 else "",
        )
    run = services.certificates_issue_all(actor=trainer, session=session)
    Course.objects.filter(pk=course.pk).update(is_synthetic=True)
    TrainingSession.objects.filter(pk=session.pk).update(is_synthetic=True)
    Enrolment.objects.filter(session=session).update(is_synthetic=True)
    Certificate.objects.filter(enrolment__session=session).update(is_synthetic=True)
    return {"courses": 1, "certificates": run.issued}
