"""Synthetic data at national scale: persons, alerts, cases and referrals, deterministic for a seed.

How it stays deterministic and resumable:

- Every entity is written in batches of ``batch_size`` rows. Batch *b* of an entity draws from its
  own generator seeded by (seed, entity, b), so its rows are the same whether it runs first, after a
  crash or in another process.
- Attributes that two entities must agree on (an alert's form of exploitation, the delay before its
  case opened) come from ``rand.unit(seed, stream, index)``, a hash, not from a generator's state.
- A batch and its checkpoint row (``SyntheticCheckpoint``) commit in one transaction: after a crash,
  the next run starts at the first batch not committed, and no row is written twice.
- References are reserved in one block per entity and growth step through ``ruta.core.references``
  (so real records created later never collide with synthetic ones) and stored in the checkpoint:
  the row with index *i* always gets the same reference.

Every Person, Case and Alert row has ``is_synthetic=True``. The generator refuses a database that
holds any non-synthetic person, case or alert unless ``force`` is given. Identity fields go through
the same encrypted field classes as production data, and search tokens through the persons app's
own functions (``ruta.demo.synthetic.adapters``), so duplicate-search benchmarks are real."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ruta.core import rollups
from ruta.core.references import format_reference, reserve_references
from ruta.demo.synthetic import adapters, data, names, writer
from ruta.demo.synthetic.models import SyntheticCheckpoint
from ruta.demo.synthetic.rand import Weighted, batch_rng, unit

DEFAULT_BATCH_SIZE = 5000
SPAN_DAYS = 3 * 365  # alerts and cases spread over the three years before the anchor
RUN = "_run"
ENTITIES = ("persons", "alerts", "cases")
FORMAT_VERSION = 1


class SyntheticError(Exception):
    """The generator refuses to run (real data present, another seed, missing reference data)."""


@dataclass(frozen=True)
class Plan:
    seed: int = 1
    persons: int = 0
    alerts: int = 0
    cases: int = 0
    batch_size: int = DEFAULT_BATCH_SIZE
    anchor: dt.datetime | None = None  # the data's "now"; fixed by the first run, kept on resume


@dataclass
class Progress:
    """Hooks for the command's progress bars and for tests that interrupt a run."""

    start: Callable[[str, int, int], None] = lambda entity, total, done: None
    advance: Callable[[str, int], None] = lambda entity, rows: None
    finish: Callable[[str], None] = lambda entity: None
    after_batch: Callable[[str, int], None] = lambda entity, batch: None


def real_records() -> dict[str, int]:
    """Counts of non-synthetic persons, cases and alerts (the data the generator must never mix with)."""
    from ruta.cases.models import Case
    from ruta.persons.models import Person

    counts = {
        "persons": Person.objects.filter(is_synthetic=False).count(),
        "cases": Case.objects.filter(is_synthetic=False).count(),
    }
    alert_model = adapters.alert_model()
    if alert_model is not None:
        counts["alerts"] = alert_model.objects.filter(is_synthetic=False).count()
    return {name: count for name, count in counts.items() if count}


def generate(plan: Plan, *, force: bool = False, progress: Progress | None = None) -> dict[str, int]:
    """Bring the database up to ``plan`` (resuming or extending earlier runs); returns rows per entity."""
    progress = progress or Progress()
    if plan.batch_size < 1:
        raise SyntheticError("batch size must be at least 1")
    real = real_records()
    if real and not force:
        found = ", ".join(f"{count} {name}" for name, count in real.items())
        raise SyntheticError(
            f"this database holds real (non-synthetic) records ({found}); synthetic data must never be mixed "
            "with real data. Use an empty database, or --force if you are sure this one is a test database."
        )
    if plan.alerts and adapters.alert_model() is None:
        raise SyntheticError("the alerts app has no Alert model yet: cannot generate alerts")
    anchor = _run_checkpoint(plan)
    context = Context.load(plan, anchor)
    summary: dict[str, int] = {}
    for entity, total, batch_function in (
        ("persons", plan.persons, _persons_batch),
        ("alerts", plan.alerts, _alerts_batch),
        ("cases", plan.cases, _cases_batch),
    ):
        summary[entity] = _run_entity(entity, total, batch_function, plan, context, progress)
    # Bulk inserts send no signals: the statistics' monthly rollups are recounted from the records.
    rollups.refresh(full=True)
    return summary


# --- checkpoints ---------------------------------------------------------------------------------


def _run_checkpoint(plan: Plan) -> dt.datetime:
    """The run row fixes the seed, the batch size and the anchor for every later run on this database."""
    with transaction.atomic():
        anchor = plan.anchor or timezone.now().replace(second=0, microsecond=0)
        run, created = SyntheticCheckpoint.objects.select_for_update().get_or_create(
            entity=RUN,
            defaults={
                "seed": plan.seed,
                "batch_size": plan.batch_size,
                "params": {"anchor": anchor.isoformat(), "version": FORMAT_VERSION},
            },
        )
        if not created:
            if run.seed != plan.seed:
                raise SyntheticError(
                    f"this database already holds synthetic data from seed {run.seed}; "
                    f"use a fresh database for seed {plan.seed}"
                )
            if run.batch_size != plan.batch_size:
                raise SyntheticError(
                    f"this database was generated with batches of {run.batch_size}; resume with the same size"
                )
            if plan.anchor is not None and dt.datetime.fromisoformat(run.params["anchor"]) != plan.anchor:
                raise SyntheticError(f"this database was generated with anchor {run.params['anchor']}")
        return dt.datetime.fromisoformat(run.params["anchor"])


def _reference_blocks(checkpoint: SyntheticCheckpoint, prefix: str, total: int, per_row: int = 1) -> None:
    """Reserve references for rows not covered yet: ``params["refs"]`` = [[first index, first number, year]]."""
    blocks = checkpoint.params.setdefault("refs", [])
    covered = checkpoint.params.get("refs_cover", 0)
    if total <= covered:
        return
    first = reserve_references(prefix, (total - covered) * per_row)[0]
    _prefix, year, number = first.split("-")
    blocks.append([covered, int(number), int(year)])
    checkpoint.params["refs_cover"] = total


def _reference(params: dict[str, Any], prefix: str, index: int, *, per_row: int = 1, offset: int = 0) -> str:
    for start, number, year in reversed(params["refs"]):
        if index >= start:
            return format_reference(prefix, year, number + (index - start) * per_row + offset)
    raise SyntheticError(f"no reference reserved for row {index}")


BatchFunction = Callable[["Context", random.Random, int, int, dict[str, Any]], Iterator[Callable[[], None]]]


def _run_entity(entity: str, total: int, batch_function: Any, plan: Plan, context: Context, progress: Progress) -> int:
    with transaction.atomic():
        checkpoint, _ = SyntheticCheckpoint.objects.select_for_update().get_or_create(
            entity=entity, defaults={"seed": plan.seed, "batch_size": plan.batch_size}
        )
        context.prepare(entity, checkpoint, total)
        checkpoint.save()
    if total <= checkpoint.rows_done:
        return checkpoint.rows_done
    batch_size = plan.batch_size
    progress.start(entity, total, checkpoint.rows_done)
    for batch in range(checkpoint.rows_done // batch_size, math.ceil(total / batch_size)):
        start, stop = batch * batch_size, min(total, (batch + 1) * batch_size)
        with transaction.atomic():
            current = SyntheticCheckpoint.objects.select_for_update().get(pk=checkpoint.pk)
            done = current.rows_done
            if done >= stop:
                continue  # another process did this batch meanwhile
            rng = batch_rng(plan.seed, entity, batch)
            # A batch left partial by a smaller earlier run is generated whole and its written prefix
            # dropped, so the rows are those an uninterrupted bigger run would have written.
            batch_function(context, rng, start, stop, current.params, skip_below=done)
            current.rows_done = stop
            current.batches_done = batch + 1
            current.save(update_fields=["rows_done", "batches_done", "updated_at"])
        progress.advance(entity, stop - max(start, done))
        progress.after_batch(entity, batch)
    progress.finish(entity)
    return total


# --- the reference data every batch needs ---------------------------------------------------------


STAFF: list[tuple[str, str, str, int, bool]] = [
    # (institution code, role, username stem, how many, one per department)
    ("eri", "eri_responder", "eri", 2, True),
    ("eri", "supervisor", "eri.supervision", 3, False),
    ("cicesct", "hotline_operator", "linea145", 8, False),
    ("cicesct", "duty_officer", "turno", 2, False),
    ("senaf", "caseworker", "senaf", 12, False),
    ("senaf", "supervisor", "senaf.supervision", 2, False),
    ("sesal", "caseworker", "sesal", 8, False),
    ("casa-alianza", "caseworker", "casa.alianza", 6, False),
    ("oim", "caseworker", "oim", 3, False),
    ("dpi", "legal_liaison", "dpi", 4, False),
    ("mp", "legal_liaison", "fiscalia", 4, False),
    ("stss", "labour_inspector", "inspeccion", 6, False),
]
STAFF_PREFIX = "sintetico."
STATISTICS_REFUSAL_EVERY = 10


@dataclass
class Context:
    plan: Plan
    anchor: dt.datetime
    municipalities: list[tuple[int, str, int, str]] = field(default_factory=list)  # id, code, dept id, name
    municipality_picker: Weighted | None = None
    institutions: dict[str, int] = field(default_factory=dict)
    services: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # category -> (service, institution)
    staff: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (institution, role) -> user ids
    eri_by_department: dict[int, list[int]] = field(default_factory=dict)
    closure_reasons: list[int] = field(default_factory=list)
    signals: Any = None
    rules: Any = None
    levels: dict[str, tuple[dt.timedelta, dt.timedelta]] = field(default_factory=dict)
    case_ratio: int = 0  # alert i opened case i // case_ratio when i % case_ratio == 0

    @classmethod
    def load(cls, plan: Plan, anchor: dt.datetime) -> Context:
        from ruta.demo.institutions import seed_institutions
        from ruta.geo.models import Department, Municipality
        from ruta.geo.services import geography_load
        from ruta.institutions.models import Institution, InstitutionService

        if not Department.objects.exists():
            geography_load()
        if not Institution.objects.filter(code="eri").exists():
            seed_institutions()
        context = cls(plan=plan, anchor=anchor)
        context.municipalities = list(
            Municipality.objects.order_by("code").values_list("id", "code", "department_id", "name")
        )
        department_code = dict(Department.objects.values_list("id", "code"))
        by_department: dict[str, list[tuple[int, str, int, str]]] = {}
        for row in context.municipalities:
            by_department.setdefault(department_code[row[2]], []).append(row)
        weights: list[tuple[int, float]] = []
        for position, row in enumerate(context.municipalities):
            department = department_code[row[2]]
            siblings = by_department[department]
            shares = data.MUNICIPALITY_SHARES.get(department, {f"{department}01": data.HEAD_SHARE})
            named = sum(shares.values())
            unnamed = [m for m in siblings if m[1] not in shares]
            share = shares.get(row[1], (1 - named) / len(unnamed) if unnamed else 0.0)
            weights.append((position, data.DEPARTMENT_WEIGHTS.get(department, 0.5) * share))
        context.municipality_picker = Weighted(weights)
        context.institutions = dict(Institution.objects.values_list("code", "id"))
        for service_id, institution_id, category in InstitutionService.objects.order_by("id").values_list(
            "id", "institution_id", "category__code"
        ):
            context.services.setdefault(category, []).append((service_id, institution_id))
        context.staff, context.eri_by_department = _ensure_staff(context)
        context.closure_reasons = adapters.closure_reason_ids()
        if plan.alerts:
            context.signals, context.rules, context.levels = adapters.priority_configuration()
        context.case_ratio = plan.alerts // plan.cases if plan.cases and plan.alerts >= plan.cases else 0
        return context

    def prepare(self, entity: str, checkpoint: SyntheticCheckpoint, total: int) -> None:
        prefixes = {"persons": ("V", 1), "alerts": ("A", 1), "cases": ("C", 1)}
        prefix, per_row = prefixes[entity]
        _reference_blocks(checkpoint, prefix, total, per_row)
        if entity == "cases":
            referral_params = checkpoint.params.setdefault("referrals", {})
            _reference_blocks_into(referral_params, "R", total, MAX_REFERRALS)
        if entity == "cases":
            if checkpoint.rows_done == 0:
                checkpoint.params["case_ratio"] = self.case_ratio
            elif checkpoint.params.get("case_ratio") != self.case_ratio:
                raise SyntheticError(
                    "cases were generated with another alerts-per-case ratio; keep the same proportions to extend"
                )

    def municipality(self, rng: random.Random) -> tuple[int, str, int, str]:
        assert self.municipality_picker is not None
        return self.municipalities[self.municipality_picker.pick(rng)]

    def when(self, rng: random.Random, *, span_days: int = SPAN_DAYS) -> dt.datetime:
        """A moment before the anchor, more of them recent (reporting grows over the years)."""
        fraction = rng.random() ** 1.4
        return self.anchor - dt.timedelta(seconds=int(fraction * span_days * 86400))


def _reference_blocks_into(params: dict[str, Any], prefix: str, total: int, per_row: int) -> None:
    holder = SyntheticCheckpoint(params=params)
    _reference_blocks(holder, prefix, total, per_row)


def _ensure_staff(context: Context) -> tuple[dict[tuple[str, str], list[int]], dict[int, list[int]]]:
    """Synthetic staff accounts (no usable password) who own and work the synthetic records."""
    from ruta.accounts.models import Membership
    from ruta.geo.models import Department

    user_model = get_user_model()
    departments: list[tuple[int | None, str]] = list(Department.objects.order_by("code").values_list("id", "code"))
    staff: dict[tuple[str, str], list[int]] = {}
    eri_by_department: dict[int, list[int]] = {}
    existing = {user.username: user for user in user_model.objects.filter(username__startswith=STAFF_PREFIX)}
    for institution, role, stem, count, per_department in STAFF:
        if institution not in context.institutions:
            continue
        territories: list[tuple[int | None, str]] = departments if per_department else [(None, "")]
        for department_id, department_code in territories:
            for number in range(1, count + 1):
                suffix = f"{department_code}.{number:02d}" if department_code else f"{number:02d}"
                username = f"{STAFF_PREFIX}{stem}.{suffix}"
                user = existing.get(username)
                if user is None:
                    user = user_model(
                        username=username,
                        first_name="Sintético",
                        last_name=stem,
                        email=f"{username}@synthetic.ruta.invalid",
                    )
                    user.set_unusable_password()
                    user.save()
                    Membership.objects.create(
                        user=user,
                        institution_id=context.institutions[institution],
                        role=role,
                        department_id=department_id,
                    )
                staff.setdefault((institution, role), []).append(user.pk)
                if role == "eri_responder" and department_id is not None:
                    eri_by_department.setdefault(department_id, []).append(user.pk)
    return staff, eri_by_department


# --- persons ---------------------------------------------------------------------------------------

SEX = Weighted({"female": data.FEMALE_SHARE * 99.5, "male": (1 - data.FEMALE_SHARE) * 99.5, "unknown": 0.5})
CHILD_AGE = Weighted(data.CHILD_AGES)
ADULT_AGE = Weighted(data.ADULT_AGES)
NATIONALITY = Weighted(data.NATIONALITY_WEIGHTS)
PERSON_OWNER = Weighted({"eri": 55, "senaf": 18, "casa-alianza": 8, "sesal": 7, "dpi": 6, "oim": 6})
DUPLICATE_SHARE = 0.03  # a person registered again by another institution, written differently


def duplicate_of(seed: int, batch_size: int, index: int) -> int | None:
    """The earlier person (same batch) that person ``index`` is a re-registration of, if any.

    A pure function, so benchmarks know the truth: two persons are the same human when following
    ``duplicate_of`` from each ends at the same index."""
    start = index - index % batch_size
    if index == start or unit(seed, "duplicate", index) >= DUPLICATE_SHARE:
        return None
    return start + int(unit(seed, "duplicate-source", index) * (index - start))


def same_human_root(seed: int, batch_size: int, index: int) -> int:
    while (source := duplicate_of(seed, batch_size, index)) is not None:
        index = source
    return index


def reference_index(params: dict[str, Any], reference: str) -> int | None:
    """The row index of a synthetic reference (the inverse of the reference blocks), or None."""
    try:
        _prefix, year, number = reference.split("-")
    except ValueError:
        return None
    blocks = sorted(params.get("refs", []))
    for position, (start, first, block_year) in enumerate(blocks):
        end = blocks[position + 1][0] if position + 1 < len(blocks) else params.get("refs_cover", start)
        if int(year) == block_year and first <= int(number) < first + (end - start):
            return start + int(number) - first
    return None


def _age(rng: random.Random) -> tuple[int | None, str]:
    draw = rng.random()
    if draw < 0.06:
        return None, "unknown"
    if draw < 0.08:
        return None, "child"
    if draw < 0.08 + data.CHILD_SHARE:
        return CHILD_AGE.pick(rng), "child"
    return ADULT_AGE.pick(rng), "adult"


def _dni(rng: random.Random, municipality_code: str, year: int) -> str:
    return f"{municipality_code}-{year}-{rng.randrange(1, 99999):05d}"


def _phone(rng: random.Random) -> str:
    return f"+504 {rng.choice('3899')}{rng.randrange(100, 999)}-{rng.randrange(0, 9999):04d}"


def _persons_batch(
    context: Context, rng: random.Random, start: int, stop: int, params: dict[str, Any], *, skip_below: int
) -> None:
    from ruta.persons.models import Person, PersonIdentity

    persons: list[Any] = []
    identities: list[Any] = []
    written: dict[int, tuple[str, str, str, str, list[str]]] = {}  # for duplicates within the batch
    for index in range(start, stop):
        sex = SEX.pick(rng)  # drawn for every row, so the random stream does not depend on duplicates
        age, group = _age(rng)
        presumed_child = age is None and group != "adult"
        registered = context.when(rng)
        nationality = NATIONALITY.pick(rng)
        if nationality == "HN":
            migration = "returned" if rng.random() < 0.08 else "national"
        else:
            migration = "irregular" if rng.random() < 0.7 else "regular"
        owner = PERSON_OWNER.pick(rng)
        if owner == "senaf" and group == "adult":
            owner = "eri"
        birth_municipality = context.municipality(rng)
        source = duplicate_of(context.plan.seed, context.plan.batch_size, index)
        if source is not None:
            given, family, birth, source_sex, phones = written[source]
            given, family, birth = names.variant(rng, given, family, birth)
            # The same human keeps their sex; a second institution may just not record it.
            sex = "unknown" if sex == "unknown" else source_sex
            documents: list[dict[str, str]] = []
            aliases: list[str] = []
        else:
            given = names.given_names(rng, sex)
            family = names.family_names(rng)
            aliases = (
                [data.NICKNAMES[given.split()[0]]] if given.split()[0] in data.NICKNAMES and rng.random() < 0.3 else []
            )
            birth = ""
            documents = []
            if age is not None and rng.random() < 0.85:
                born = registered.date() - dt.timedelta(days=age * 365 + rng.randrange(0, 365))
                birth = born.isoformat()
                if nationality == "HN" and rng.random() < 0.7:
                    kind = "dni" if age >= 18 else "birth_certificate"
                    documents = [{"type": kind, "number": _dni(rng, birth_municipality[1], born.year)}]
            phones = [_phone(rng)] if rng.random() < 0.55 else []
        address = [f"{rng.choice(data.COLONIAS)}, {birth_municipality[3]}"] if rng.random() < 0.5 else []
        languages = ["es"] if nationality != "HN" or rng.random() < 0.97 else ["es", "garifuna"]
        written[index] = (given, family, birth, sex, phones)
        if index < skip_below:
            continue
        person = writer.make(
            Person,
            reference=_reference(params, "V", index),
            sex=sex,
            age_years=age,
            age_recorded_on=registered.date() if age is not None else None,
            age_group=group,
            presumed_child=presumed_child,
            nationality=nationality,
            languages=languages,
            migration_status=migration,
            owner_institution_id=context.institutions[owner],
            is_synthetic=True,
            created_at=registered,
            updated_at=registered,
        )
        persons.append(person)
        identities.append((person, given, family, aliases, birth, documents, phones, address))
    writer.insert(Person, persons)
    identity_rows = [
        writer.make(
            PersonIdentity,
            person_id=person.pk,
            given_names=given,
            family_names=family,
            aliases=aliases,
            birth_date=birth,
            id_documents=documents,
            phones=phones,
            emails=[],
            addresses=address,
            notes="",
        )
        for person, given, family, aliases, birth, documents, phones, address in identities
    ]
    writer.insert(PersonIdentity, identity_rows)
    adapters.index_persons(list(zip(persons, identity_rows, strict=True)))


# --- alerts ----------------------------------------------------------------------------------------

CHANNEL = Weighted(data.CHANNEL_WEIGHTS)
EXPLOITATION = Weighted(data.EXPLOITATION_WEIGHTS)
CLOSED_OUTCOME = Weighted(
    {"referred_elsewhere": 25, "closed_unfounded": 30, "closed_insufficient_information": 35, "merged": 10}
)
REFERRAL_REASON = {"labour": "labour_violation", "sexual": "child_protection"}


def alert_exploitation(seed: int, index: int) -> str:
    """The (hidden) form of exploitation behind alert ``index``; its case, if any, agrees."""
    return str(EXPLOITATION.at(unit(seed, "alert-exploitation", index)))


def case_delay(seed: int, index: int) -> dt.timedelta:
    """How long after alert ``index`` was received its case was opened (hours to ten days)."""
    return dt.timedelta(hours=2 + unit(seed, "case-delay", index) * 240)


def case_opened_at(seed: int, alert_index: int, received_at: dt.datetime, anchor: dt.datetime) -> dt.datetime:
    opened = received_at + case_delay(seed, alert_index)
    return opened if opened < anchor else received_at + (anchor - received_at) / 2


def _alert_persons(rng: random.Random, exploitation: str) -> list[tuple[int | None, str, str]]:
    count = 1 if rng.random() < 0.72 else (2 if rng.random() < 0.7 else rng.randrange(3, 6))
    persons: list[tuple[int | None, str, str]] = []
    for _ in range(count):
        sex = "female" if rng.random() < (0.88 if exploitation == "sexual" else 0.5) else "male"
        if rng.random() < 0.2:
            persons.append((None, rng.choice(("child", "adult", "unknown")), sex))
            continue
        age, group = _age(rng)
        persons.append((age, group, sex))
    return persons


def _narrative(rng: random.Random, exploitation: str, person: tuple[int | None, str, str], place: str) -> str:
    age, group, sex = person
    child = group != "adult"
    who = rng.choice(data.WHO[("male" if sex == "male" else "female", child)]).format(edad=age or 15)
    return rng.choice(data.NARRATIVE_TEMPLATES[exploitation]).format(quien=who, lugar=place)


def _alerts_batch(
    context: Context, rng: random.Random, start: int, stop: int, params: dict[str, Any], *, skip_below: int
) -> None:
    from ruta.alerts import models as alerts

    seed, now = context.plan.seed, context.anchor
    eri = context.institutions["eri"]
    rows: list[Any] = []
    children: list[
        tuple[Any, list[tuple[int | None, str, str]], list[tuple[str, dt.datetime, dict[str, Any]]], str]
    ] = []
    hotline_staff = context.staff.get(("cicesct", "hotline_operator"), [])
    inspectors = context.staff.get(("stss", "labour_inspector"), [])
    all_eri = [user for users in context.eri_by_department.values() for user in users]
    for index in range(start, stop):
        exploitation = alert_exploitation(seed, index)
        channel = CHANNEL.pick(rng)
        received = context.when(rng)
        municipality_id, _code, department_id, municipality_name = context.municipality(rng)
        persons = _alert_persons(rng, exploitation)
        codes = sorted(
            code for code, chance in data.SIGNALS_BY_EXPLOITATION[exploitation].items() if rng.random() < chance
        )
        if (
            any(group != "adult" for _age_value, group, _sex in persons)
            and "S14" in data.SIGNALS_BY_EXPLOITATION[exploitation]
        ):
            codes = sorted({*codes, "S14"}) if rng.random() < 0.5 else codes
        happening_now = rng.random() < 0.22
        result = adapters.priority(context, codes, happening_now, persons)
        ack_within, first_within = context.levels[result.priority]
        ack_due, first_due = received + ack_within, received + first_within
        narrative = _narrative(rng, exploitation, persons[0], f"{rng.choice(data.COLONIAS)}, {municipality_name}")
        contact = _phone(rng) if rng.random() < 0.35 else ""
        tracking = "".join(rng.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(12))
        age = now - received
        case_alert = (
            context.case_ratio and index % context.case_ratio == 0 and index // context.case_ratio < context.plan.cases
        )
        draw = rng.random()
        if case_alert:
            status = "case_opened"
        elif age < dt.timedelta(days=2):
            status = "new" if draw < 0.6 else ("acknowledged" if draw < 0.85 else "in_verification")
        elif age < dt.timedelta(days=14):
            status = (
                "new" if draw < 0.08 else "acknowledged" if draw < 0.3 else "in_verification" if draw < 0.65 else ""
            )
        else:
            status = "new" if draw < 0.005 else "in_verification" if draw < 0.03 else ""
        status = status or str(CLOSED_OUTCOME.pick(rng))
        is_open = status in ("new", "acknowledged", "in_verification")
        ack_at = first_at = closed_at = None
        if status != "new":
            ack_at = min(received + ack_within * (rng.random() * 1.4), now)
        if status not in ("new", "acknowledged"):
            first_at = min(received + first_within * (rng.random() * 1.3), now)
        if status == "case_opened":
            closed_at = case_opened_at(seed, index, received, now)
            first_at = min(first_at or closed_at, closed_at)
            ack_at = min(ack_at or closed_at, first_at)
        elif not is_open:
            assert first_at is not None
            closed_at = min(first_at + dt.timedelta(days=rng.random() * 20), now)
        ack_escalated = (
            ack_due + dt.timedelta(minutes=5) if (ack_at or now) > ack_due + dt.timedelta(minutes=5) else None
        )
        first_escalated = (
            first_due + dt.timedelta(minutes=5) if (first_at or now) > first_due + dt.timedelta(minutes=5) else None
        )
        department_eri = context.eri_by_department.get(department_id) or all_eri
        assignee = rng.choice(department_eri) if status != "new" and department_eri else None
        creator = None
        reporting = None
        if channel == "hotline" and hotline_staff:
            creator, reporting = rng.choice(hotline_staff), context.institutions["cicesct"]
        elif channel == "inspection" and inspectors:
            creator, reporting = rng.choice(inspectors), context.institutions["stss"]
        elif channel == "staff" and department_eri:
            creator, reporting = rng.choice(department_eri), eri
        referred_to = None
        referral_reason = ""
        if status == "referred_elsewhere":
            referral_reason = rng.choice(["labour_violation", "child_protection", "domestic_violence", "migration"])
            referred_to = context.institutions[
                {"labour_violation": "stss", "child_protection": "senaf", "migration": "oim"}.get(
                    referral_reason, "dpi"
                )
            ]
        events = [("received", received, {"channel": channel, "priority": result.priority})]
        if ack_at:
            events.append(("acknowledged", ack_at, {}))
        if closed_at:
            events.append(("outcome", closed_at, {"status": status}))
        if index < skip_below:
            continue
        alert = writer.make(
            alerts.Alert,
            reference=_reference(params, "A", index),
            tracking_hash=adapters.tracking_hash(tracking),
            channel=channel,
            status=status,
            is_open=is_open,
            public_status_changed_at=closed_at or ack_at or received,
            received_at=received,
            department_id=department_id,
            municipality_id=municipality_id,
            happening_now=happening_now,
            signal_codes=codes,
            narrative=narrative,
            reporter_contact=contact,
            child_involved=result.child_involved,
            priority=result.priority,
            priority_rationale=result.rationale(),
            palermo_reading=result.palermo,
            acknowledge_due_at=ack_due,
            first_response_due_at=first_due,
            acknowledged_at=ack_at,
            first_response_at=first_at,
            acknowledge_escalated_at=ack_escalated,
            first_response_escalated_at=first_escalated,
            closed_at=closed_at,
            assigned_to_id=assignee,
            assigned_institution_id=eri if assignee else None,
            referred_to_id=referred_to,
            referral_reason=referral_reason,
            created_by_id=creator,
            reporting_institution_id=reporting,
            is_synthetic=True,
            created_at=received,
            updated_at=closed_at or ack_at or received,
        )
        rows.append(alert)
        children.append((alert, persons, events, narrative))
    writer.insert(alerts.Alert, rows)
    writer.insert_values(
        alerts.AlertPerson,
        ("alert_id", "position", "age", "age_group", "sex", "person_id"),
        [
            (alert.pk, position, age, group, sex, None)
            for alert, persons, _events, _narrative in children
            for position, (age, group, sex) in enumerate(persons)
        ],
    )
    writer.insert(
        alerts.AlertEvent,
        [
            writer.make(alerts.AlertEvent, alert_id=alert.pk, at=at, actor_id=None, kind=kind, new=new)
            for alert, _persons, events, _narrative in children
            for kind, at, new in events
        ],
    )
    writer.insert_values(
        alerts.AlertToken,
        ("alert_id", "token"),
        [
            (alert.pk, token)
            for alert, _persons, _events, narrative in children
            for token in dict.fromkeys(adapters.narrative_tokens(narrative))
        ],
    )


# --- cases and their referrals -------------------------------------------------------------------

MAX_REFERRALS = 3
VICTIMS = Weighted({1: 75, 2: 18, 3: 7})
LEAD_FOR_CHILD = Weighted({"senaf": 45, "eri": 45, "casa-alianza": 10})
LEAD_FOR_ADULT = Weighted({"eri": 70, "sesal": 8, "casa-alianza": 10, "oim": 12})
REFERRAL_NEEDS = {
    "sexual": ["psychosocial", "health_care", "investigation", "shelter", "legal_aid"],
    "labour": ["labour_inspection", "legal_aid", "economic", "investigation"],
    "forced_crime": ["protection", "investigation", "psychosocial"],
    "domestic_servitude": ["shelter", "legal_aid", "psychosocial"],
    "forced_begging": ["child_protection", "education", "psychosocial"],
    "forced_marriage": ["child_protection", "legal_aid", "psychosocial"],
    "illegal_adoption": ["child_protection", "investigation"],
}
CASE_NARRATIVES = [
    "Caso abierto tras verificación del ERI; la persona fue trasladada a un lugar seguro.",
    "La persona fue rescatada en un operativo conjunto con la DPI y recibió atención inmediata.",
    "La familia acompañó a la persona a la entrevista inicial; se coordinó atención psicosocial.",
    "Se identificaron indicadores de captación engañosa y control; se activó la ruta de atención.",
]


def _cases_batch(
    context: Context, rng: random.Random, start: int, stop: int, params: dict[str, Any], *, skip_below: int
) -> None:
    from ruta.cases import models as cases
    from ruta.persons.models import Person

    seed, now, plan = context.plan.seed, context.anchor, context.plan
    ratio = params.get("case_ratio", context.case_ratio)
    person_total = plan.persons
    if person_total < 1:
        raise SyntheticError("cases need persons: generate at least one person")
    alert_params = _params_of("alerts") if ratio else {}
    alert_refs = {}
    person_refs = {}
    victims_by_case: dict[int, list[int]] = {}
    for index in range(start, stop):
        if ratio and index * ratio < plan.alerts:
            alert_refs[index] = _reference(alert_params, "A", index * ratio)
        victims_by_case[index] = [(3 * index + k) % person_total for k in range(3)]
    person_params = _params_of("persons")
    for indices in victims_by_case.values():
        for person_index in indices:
            person_refs[person_index] = _reference(person_params, "V", person_index)
    person_rows = {
        reference: (pk, group, presumed)
        for reference, pk, group, presumed in Person.objects.filter(
            reference__in=set(person_refs.values())
        ).values_list("reference", "id", "age_group", "presumed_child")
    }
    alert_rows: dict[str, tuple[int, dt.datetime, int | None]] = {}
    alert_model = adapters.alert_model()
    if alert_refs and alert_model is not None:
        alert_rows = {
            reference: (pk, received, municipality)
            for reference, pk, received, municipality in alert_model.objects.filter(
                reference__in=alert_refs.values()
            ).values_list("reference", "id", "received_at", "municipality_id")
        }
    senaf = context.institutions.get("senaf")
    supervisors = context.staff.get(("eri", "supervisor"), [])
    case_rows: list[Any] = []
    details: list[tuple[Any, int, list[int], str, Any, dict[str, Any]]] = []
    case_alert: dict[int, int] = {}
    for index in range(start, stop):
        alert = alert_rows.get(alert_refs.get(index, ""))
        if alert is not None:
            alert_index = index * ratio
            exploitation = alert_exploitation(seed, alert_index)
            opened = case_opened_at(seed, alert_index, alert[1], now)
            municipality_id = alert[2]
        else:
            exploitation = str(EXPLOITATION.pick(rng))
            opened = context.when(rng)
            municipality_id = context.municipality(rng)[0]
        count = VICTIMS.pick(rng)
        victims = []
        has_child = False
        for person_index in victims_by_case[index][:count]:
            row = person_rows.get(person_refs[person_index])
            if row is None:
                raise SyntheticError(f"person {person_refs[person_index]} is missing: generate persons first")
            victims.append(row[0])
            has_child = has_child or row[1] == "child" or row[2]
        lead = (LEAD_FOR_CHILD if has_child else LEAD_FOR_ADULT).pick(rng)
        owners = context.staff.get((lead, "eri_responder")) or context.staff.get((lead, "caseworker")) or []
        if lead == "eri":
            owners = [u for users in context.eri_by_department.values() for u in users]
        owner = rng.choice(owners)
        age_days = (now - opened).days
        identified = age_days > 10 and rng.random() < 0.95
        consent = identified and age_days > 15 and rng.random() < 0.9
        referral_count = rng.randrange(1, MAX_REFERRALS + 1) if consent and age_days > 20 else 0
        closed = consent and age_days > 540 and rng.random() < 0.7 and bool(context.closure_reasons)
        closed_at = opened + dt.timedelta(days=180 + rng.randrange(0, 360)) if closed else None
        if closed_at and closed_at > now:
            closed_at, closed = None, False
        stage = adapters.case_stage(
            identification_recorded=identified,
            case_work_consent=consent,
            services_or_referrals=referral_count > 0,
            closed=closed,
        )
        narrative = rng.choice(CASE_NARRATIVES)
        extra: dict[str, Any] = {
            "identified": identified,
            "consent": consent,
            "referrals": referral_count,
            "closed_at": closed_at,
            "member": rng.choice(context.staff.get(("senaf", "caseworker"), [owner]))
            if has_child and lead != "senaf"
            else None,
            "supervisor": rng.choice(supervisors) if supervisors else owner,
            "referral_draws": [(rng.random(), rng.random(), rng.random(), rng.random()) for _ in range(referral_count)],
            "identification_day": rng.randrange(2, 10),
            "consent_day": rng.randrange(10, 15),
            "reason": rng.choice(context.closure_reasons) if closed else None,
        }
        if index < skip_below:
            continue
        case = writer.make(
            cases.Case,
            reference=_reference(params, "C", index),
            opened_at=opened,
            lead_institution_id=context.institutions[lead],
            owner_id=owner,
            municipality_id=municipality_id,
            exploitation=exploitation,
            narrative=narrative,
            stage=stage,
            has_child=has_child,
            closed_at=closed_at,
            is_synthetic=True,
            created_at=opened,
            updated_at=closed_at or opened,
        )
        case_rows.append(case)
        details.append((case, index, victims, exploitation, alert, extra))
    writer.insert(cases.Case, case_rows)
    members, links, events, decisions, consents, closures = [], [], [], [], [], []
    referrals: list[Any] = []
    referral_people: list[tuple[Any, list[int]]] = []
    referral_events: list[tuple[Any, str, dt.datetime, str, str]] = []
    for case, index, victims, exploitation, alert, extra in details:
        lead = case.lead_institution_id
        if alert is not None:
            case_alert[alert[0]] = case.pk
        links += [writer.make(cases.CasePerson, case_id=case.pk, person_id=p, role="presumed_victim") for p in victims]
        members.append(
            writer.make(
                cases.CaseMember,
                case_id=case.pk,
                user_id=case.owner_id,
                institution_id=lead,
                created_at=case.opened_at,
                updated_at=case.opened_at,
            )
        )
        if extra["member"] and extra["member"] != case.owner_id and senaf:
            members.append(
                writer.make(
                    cases.CaseMember,
                    case_id=case.pk,
                    user_id=extra["member"],
                    institution_id=senaf,
                    created_at=case.opened_at,
                    updated_at=case.opened_at,
                )
            )
        origin = _reference(alert_params, "A", index * ratio) if alert is not None else "direct"
        events.append(
            writer.make(
                cases.CaseEvent,
                case_id=case.pk,
                at=case.opened_at,
                actor_id=case.owner_id,
                kind="case_opened",
                summary=origin,
            )
        )
        if extra["identified"]:
            decided = case.opened_at + dt.timedelta(days=extra["identification_day"])
            for person in victims:
                decisions.append(
                    writer.make(
                        cases.IdentificationDecision,
                        case_id=case.pk,
                        person_id=person,
                        outcome="identified",
                        institution_id=lead,
                        decided_on=decided.date(),
                        basis="Indicadores de trata verificados en entrevista (sintético).",
                        recorded_by_id=case.owner_id,
                        created_at=decided,
                        updated_at=decided,
                    )
                )
            events.append(
                writer.make(
                    cases.CaseEvent, case_id=case.pk, at=decided, actor_id=case.owner_id, kind="identification_recorded"
                )
            )
        if extra["consent"]:
            given = case.opened_at + dt.timedelta(days=extra["consent_day"])
            for person in victims:
                consents.append(
                    writer.make(
                        cases.Consent,
                        case_id=case.pk,
                        person_id=person,
                        purpose="case_work",
                        granted=True,
                        given_with="SENAF" if case.has_child else "",
                        given_with_institution_id=senaf if case.has_child else None,
                        recorded_by_id=case.owner_id,
                        recorded_at=given,
                        created_at=given,
                        updated_at=given,
                    )
                )
                # Statistics is a purpose of its own; about one person in ten declines it.
                consents.append(
                    writer.make(
                        cases.Consent,
                        case_id=case.pk,
                        person_id=person,
                        purpose="statistics",
                        granted=(index + person) % STATISTICS_REFUSAL_EVERY != 0,
                        given_with="SENAF" if case.has_child else "",
                        given_with_institution_id=senaf if case.has_child else None,
                        recorded_by_id=case.owner_id,
                        recorded_at=given,
                        created_at=given,
                        updated_at=given,
                    )
                )
            events.append(
                writer.make(cases.CaseEvent, case_id=case.pk, at=given, actor_id=case.owner_id, kind="consent_recorded")
            )
        needs = REFERRAL_NEEDS.get(exploitation, REFERRAL_NEEDS["sexual"])
        for number, draws in enumerate(extra["referral_draws"]):
            category = needs[int(draws[0] * len(needs))]
            options = context.services.get(category) or context.services.get("psychosocial") or []
            if not options:
                continue
            service_id, to_institution = options[int(draws[1] * len(options))]
            sent = case.opened_at + dt.timedelta(days=16 + number * 3, hours=int(draws[2] * 48))
            if sent >= now:
                continue
            referral, history = adapters.referral(
                reference=_reference(params["referrals"], "R", index, per_row=MAX_REFERRALS, offset=number),
                case=case,
                service_id=service_id,
                to_institution=to_institution,
                sent=sent,
                now=now,
                draw=draws[3],
                has_child=case.has_child,
            )
            referrals.append(referral)
            referral_people.append((referral, victims))
            referral_events += [(referral, kind, at, old, new) for kind, at, old, new in history]
            events.append(
                writer.make(
                    cases.CaseEvent,
                    case_id=case.pk,
                    at=sent,
                    actor_id=case.owner_id,
                    kind="referral_sent",
                    summary=referral.reference,
                )
            )
        if extra["closed_at"]:
            closures.append(
                writer.make(
                    cases.CaseClosure,
                    case_id=case.pk,
                    reason_id=extra["reason"],
                    closed_on=extra["closed_at"].date(),
                    requested_by_id=case.owner_id,
                    decided_by_id=extra["supervisor"],
                    decided_at=extra["closed_at"],
                    approved=True,
                    created_at=extra["closed_at"],
                    updated_at=extra["closed_at"],
                )
            )
            events.append(
                writer.make(
                    cases.CaseEvent,
                    case_id=case.pk,
                    at=extra["closed_at"],
                    actor_id=extra["supervisor"],
                    kind="case_closed",
                )
            )
    writer.insert(cases.CasePerson, links)
    writer.insert(cases.CaseMember, members)
    writer.insert(cases.CaseEvent, events)
    writer.insert(cases.IdentificationDecision, decisions)
    writer.insert(cases.Consent, consents)
    writer.insert(cases.CaseClosure, closures)
    adapters.write_referrals(referrals, referral_people, referral_events)
    if alert_model is not None:
        writer.bulk_set(alert_model, case_alert, "case")


def _params_of(entity: str) -> dict[str, Any]:
    checkpoint = SyntheticCheckpoint.objects.filter(entity=entity).first()
    return checkpoint.params if checkpoint else {"refs": []}
