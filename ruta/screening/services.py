"""Every change to the catalogue and every saved screening goes through here, audit-logged in the
same transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.utils import timezone

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.policy.access import has_perm
from ruta.policy.permissions import Permission
from ruta.screening import catalogue as files
from ruta.screening import engine
from ruta.screening.models import (
    Dimension,
    Indicator,
    IndicatorList,
    ListKind,
    Origin,
    RuleTable,
    ScreeningRecord,
    Verification,
)
from ruta.screening.permissions import ScreeningPermission
from ruta.screening.rules import DEFAULT_DIMENSIONS, DEFAULT_RULES, validate_rules
from ruta.screening.selectors import catalogue_snapshot

CATALOGUE_OBJECT = "screening.catalogue"


@dataclass
class ListChange:
    code: str
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0
    version: int = 1
    skipped: bool = False
    meta_changed: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated or self.meta_changed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "deactivated": self.deactivated,
            "unchanged": self.unchanged,
            "version": self.version,
            "skipped": self.skipped,
        }


@dataclass
class ImportSummary:
    lists: dict[str, ListChange] = field(default_factory=dict)
    dimensions_changed: int = 0
    rules_changed: bool = False

    @property
    def changed(self) -> bool:
        return self.dimensions_changed > 0 or self.rules_changed or any(c.changed for c in self.lists.values())


def _require(actor: User | None, permission: Permission) -> None:
    if actor is not None and not has_perm(actor, permission):
        raise PermissionDenied


def _set(obj: models.Model, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _apply_dimensions(dimensions: list[files.DimensionData]) -> int:
    changed = 0
    for item in dimensions:
        values = {
            "labels": item.labels,
            "label_status": item.label_status,
            "source": item.source,
            "position": item.position,
        }
        dimension = Dimension.objects.filter(code=item.code).first()
        if dimension is None:
            Dimension.objects.create(code=item.code, **values)
            changed += 1
        elif _set(dimension, values):
            dimension.save()
            changed += 1
    for position, code in enumerate(DEFAULT_DIMENSIONS):
        if not Dimension.objects.filter(code=code).exists():
            Dimension.objects.create(code=code, labels={"en": code}, position=position)
            changed += 1
    return changed


def _apply_list(
    data: files.ListData,
    *,
    actor: User | None,
    kind: str,
    age_group: str,
    exploitation: str,
    origin: str,
    position: int,
) -> ListChange:
    """Make list ``data.code`` hold exactly ``data.rows``: create and update rows, deactivate the
    rows no longer present (never delete them: old screenings name them)."""
    codes = [row.code for row in data.rows]
    taken = sorted(
        Indicator.objects.filter(code__in=codes).exclude(indicator_list__code=data.code).values_list("code", flat=True)
    )
    if taken:
        raise files.CatalogueFileError(
            [f"codes already used by another list: {', '.join(taken)}"],
        )
    meta = {
        "kind": kind,
        "age_group": age_group,
        "exploitation": exploitation,
        "source": data.source,
        "verification": data.verification,
        "verification_note": data.verification_note,
        "origin": origin,
        "position": position,
    }
    if data.labels:
        meta["labels"] = data.labels
    indicator_list = IndicatorList.objects.select_for_update().filter(code=data.code).first()
    created_list = indicator_list is None
    if indicator_list is None:
        indicator_list = IndicatorList.objects.create(code=data.code, **meta)
    meta_changed = not created_list and _set(indicator_list, meta)

    change = ListChange(code=data.code, version=indicator_list.version, meta_changed=meta_changed or created_list)
    dimensions = {d.code: d for d in Dimension.objects.all()}
    existing = {row.code: row for row in indicator_list.indicators.all()}
    for row in data.rows:
        values = {
            "dimension": dimensions.get(row.dimension),
            "strength": row.strength,
            "labels": row.labels,
            "label_status": row.label_status,
            "source": row.source,
            "verified": row.verified,
            "note": row.note,
            "position": row.position,
            "mapped_dimensions": list(row.mapped_dimensions),
            "related_codes": list(row.related_codes),
            "is_active": True,
        }
        current = existing.get(row.code)
        if current is None:
            Indicator.objects.create(indicator_list=indicator_list, code=row.code, **values)
            change.created += 1
        elif _set(current, values):
            current.save()
            change.updated += 1
        else:
            change.unchanged += 1
    present = set(codes)
    change.deactivated = (
        indicator_list.indicators.filter(is_active=True).exclude(code__in=present).update(is_active=False)
    )
    if change.changed:
        if not created_list:
            indicator_list.version += 1
        indicator_list.imported_at = timezone.now()
        indicator_list.imported_by = actor if getattr(actor, "is_authenticated", False) else None
        indicator_list.save()
    change.version = indicator_list.version
    return change


@transaction.atomic
def catalogue_import_bundled(
    *, actor: User | None = None, force: bool = False, reset_rules: bool = False
) -> ImportSummary:
    """Load the catalogue files bundled in ``ruta/screening/data``. Idempotent: a second run changes
    nothing. Lists an administrator replaced by an upload are kept unless ``force``; an existing rule
    table (maybe edited in admin) is kept unless ``reset_rules``."""
    _require(actor, ScreeningPermission.CATALOGUE_MANAGE)
    translations = files.working_translations()
    parsed = files.parse_ilo_ec(
        files.load_yaml(files.ILO_EC_FILE.read_text(encoding="utf-8")), translations=translations
    )
    summary = ImportSummary()
    summary.dimensions_changed = _apply_dimensions(parsed.dimensions)
    uploaded = set(IndicatorList.objects.filter(origin=Origin.UPLOADED).values_list("code", flat=True))
    for position, (code, (age_group, exploitation)) in enumerate(files.SCREENING_LISTS.items()):
        if code in uploaded and not force:
            summary.lists[code] = ListChange(code=code, skipped=True)
            continue
        summary.lists[code] = _apply_list(
            parsed.lists[code],
            actor=actor,
            kind=ListKind.ILO_EC,
            age_group=age_group,
            exploitation=exploitation,
            origin=Origin.BUNDLED,
            position=position,
        )
    forced = files.parse_forced_labour(files.load_yaml(files.FORCED_LABOUR_FILE.read_text(encoding="utf-8")))
    forced = files.ListData(
        code=forced.code,
        labels={k: str(v) for k, v in ((translations.get("lists") or {}).get(forced.code) or {}).items()},
        source=forced.source,
        verification=forced.verification,
        verification_note=forced.verification_note,
        rows=forced.rows,
    )
    summary.lists[forced.code] = _apply_list(
        forced,
        actor=actor,
        kind=ListKind.FORCED_LABOUR,
        age_group="",
        exploitation="",
        origin=Origin.BUNDLED,
        position=len(files.SCREENING_LISTS),
    )
    rules = parsed.rules or DEFAULT_RULES
    table = RuleTable.objects.select_for_update().filter(code="default").first()
    if table is None:
        RuleTable.objects.create(
            code="default",
            rules=rules,
            source=parsed.rules_source,
            verification=Verification.UNVERIFIED,
            verification_note="Combination rules from secondary sources only; the brochure's wording was not seen.",
        )
        summary.rules_changed = True
    elif reset_rules and table.rules != rules:
        table.rules = rules
        table.source = parsed.rules_source
        table.version += 1
        table.save()
        summary.rules_changed = True
    if summary.changed:
        audit_record(
            actor=actor,
            action=AuditAction.CONFIG,
            object_type=CATALOGUE_OBJECT,
            object_id="bundled",
            summary="indicator catalogue imported from the bundled files",
            changes={
                "lists": {code: change.as_dict() for code, change in summary.lists.items()},
                "dimensions_changed": summary.dimensions_changed,
                "rules_changed": summary.rules_changed,
            },
        )
    return summary


def ensure_catalogue() -> ImportSummary | None:
    """Load the bundled catalogue when the database has none (after ``migrate``, in the demo)."""
    if IndicatorList.objects.exists():
        return None
    return catalogue_import_bundled(actor=None)


def ensure_catalogue_after_migrate(**kwargs: Any) -> None:
    """``post_migrate`` receiver: a freshly migrated database gets the bundled catalogue, so that
    ``manage.py screen`` works right after ``migrate``. Does nothing until every table it needs exists."""
    needed = {
        IndicatorList._meta.db_table,
        Indicator._meta.db_table,
        Dimension._meta.db_table,
        RuleTable._meta.db_table,
        "audit_auditevent",
    }
    if not needed <= set(connection.introspection.table_names()):
        return
    ensure_catalogue()


@transaction.atomic
def indicator_list_replace(
    *,
    actor: User | None,
    list_code: str,
    content: str | bytes,
    verification: str = "",
    source: str = "",
) -> ListChange:
    """Replace one screening list with the rows of an uploaded YAML file (same shape as
    ``ilo_ec_indicators.yaml``). Rows absent from the file are deactivated; screenings already saved
    keep their stored input and result."""
    _require(actor, ScreeningPermission.CATALOGUE_MANAGE)
    if list_code not in files.SCREENING_LISTS:
        raise files.CatalogueFileError([f"unknown list {list_code!r}"])
    parsed = files.parse_ilo_ec(files.load_yaml(content), only_list=list_code)
    data = parsed.lists[list_code]
    current = IndicatorList.objects.filter(code=list_code).first()
    data = files.ListData(
        code=data.code,
        labels=data.labels or (current.labels if current else {}),
        source=source.strip() or data.source,
        verification=verification or data.verification,
        verification_note=data.verification_note,
        rows=data.rows,
    )
    age_group, exploitation = files.SCREENING_LISTS[list_code]
    change = _apply_list(
        data,
        actor=actor,
        kind=ListKind.ILO_EC,
        age_group=age_group,
        exploitation=exploitation,
        origin=Origin.UPLOADED,
        position=list(files.SCREENING_LISTS).index(list_code),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CONFIG,
        object_type=CATALOGUE_OBJECT,
        object_id=list_code,
        summary=f"indicator list {list_code} replaced from an uploaded file",
        changes={"list": list_code, **change.as_dict(), "verification": data.verification, "source": data.source},
    )
    return change


@transaction.atomic
def catalogue_object_save(*, actor: User, obj: models.Model, changed_fields: list[str]) -> None:
    """Save a catalogue row edited in Django admin: validates rule tables, bumps the version of the
    list (or rule table) so saved screenings name the catalogue they used, and audits the change."""
    _require(actor, ScreeningPermission.CATALOGUE_MANAGE)
    is_new = obj.pk is None
    if isinstance(obj, RuleTable):
        validate_rules(obj.rules, tuple(Dimension.objects.values_list("code", flat=True)) or DEFAULT_DIMENSIONS)
        if not is_new and changed_fields:
            obj.version += 1
    if isinstance(obj, IndicatorList) and not is_new and changed_fields:
        obj.version += 1
    obj.save()
    if isinstance(obj, Indicator) and changed_fields:
        IndicatorList.objects.filter(pk=obj.indicator_list_id).update(version=models.F("version") + 1)
    audit_record(
        actor=actor,
        action=AuditAction.CONFIG,
        obj=obj,
        summary=f"{obj._meta.verbose_name} {obj} {'created' if is_new else 'edited'} in admin",
        changes={"fields": changed_fields},
    )


def screening_run(*, data: engine.ScreeningInput) -> engine.ScreeningResult:
    """Screen without saving (the calculator, the API, ``manage.py screen``)."""
    return engine.screen(catalogue_snapshot(), data)


@transaction.atomic
def screening_record_create(
    *,
    actor: User,
    subject_type: str,
    subject_id: str | int,
    age: int | None,
    presumed_child: bool | None,
    exploitation: str,
    indicator_codes: list[str] | tuple[str, ...],
    cse_child: bool = False,
) -> ScreeningRecord:
    """Screen a subject and keep the input, the full result and the catalogue versions used.

    Raises ``ScreeningError`` (bad input, unknown or wrong-list codes) and saves nothing then.
    The caller has checked that the actor may act on the subject."""
    _require(actor, ScreeningPermission.RUN)
    if actor is None:
        raise PermissionDenied
    subject_type, subject_id = str(subject_type).strip(), str(subject_id).strip()
    if not subject_type or len(subject_type) > 40 or not subject_id or len(subject_id) > 64:
        raise ValueError("subject_type (≤40) and subject_id (≤64) are required")
    data = engine.parse_input(
        {
            "age": age,
            "presumed_child": presumed_child,
            "exploitation": exploitation,
            "indicators": list(indicator_codes),
            "cse_child": cse_child,
        }
    )
    result = screening_run(data=data)
    used = {
        row.code: row
        for row in Indicator.objects.filter(code__in=data.indicators).select_related("dimension", "indicator_list")
    }
    snapshot = [
        {
            "code": row.code,
            "list": row.indicator_list.code,
            "dimension": row.dimension.code if row.dimension is not None else "",
            "strength": row.strength,
            "labels": row.labels,
        }
        for row in (used[code] for code in data.indicators if code in used)
    ]
    record = ScreeningRecord.objects.create(
        subject_type=subject_type,
        subject_id=subject_id,
        age=data.age,
        presumed_child=data.presumed_child,
        exploitation=data.exploitation,
        indicator_codes=list(data.indicators),
        outcome=result.outcome,
        child_rule=result.child_rule,
        dimensions=result.dimensions,
        rationale=result.reasons,
        result=result.as_record(),
        indicators_snapshot=snapshot,
        list_code=result.list_code,
        list_version=result.list_version,
        rules_version=result.rules_version,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=record,
        summary=f"formal screening of {subject_type} {subject_id}: {result.outcome}",
        changes={
            "outcome": result.outcome,
            "list": result.list_code,
            "indicators": len(data.indicators),
            "cse_child": result.cse_child,
        },
    )
    return record
