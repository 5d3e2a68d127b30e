"""Every change to instruments and submissions: typed, keyword-only, atomic, with its audit row.

- ``import_xlsform``: the web upload and ``manage.py import_xlsform`` both come here.
- ``import_submissions``: KoBoToolbox / ODK Central exports, from the web upload and
  ``manage.py import_submissions``. One streaming pass inside one transaction: valid rows are
  inserted in batches while the file is read (instance IDs checked per batch); the first invalid
  row stops the inserting but not the reading, so every error of the file is listed, and any error
  rolls the whole import back. A valid file is read once, which keeps a 100k-row import fast and
  its memory flat (one batch at a time).
- ``save_web_submission``: an entry of Ruta's web form, once per idempotency key."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.idempotency import run_idempotent
from ruta.instruments import bulk
from ruta.instruments.answers import AnswerError, choice_names, converter
from ruta.instruments.bulk import NewSubmission
from ruta.instruments.models import Instrument, InstrumentVersion, Submission, SubmissionImport, SubmissionSource
from ruta.instruments.submission_files import Layout, UnknownFormat, open_rows
from ruta.instruments.webform import FormDefinition, Metadata, evaluate
from ruta.instruments.xlsform import XLSFormError, leaves, parse_xlsform

__all__ = [
    "ImportResult",
    "SubmissionFileError",
    "SubmissionInvalid",
    "XLSFormError",
    "import_submissions",
    "import_xlsform",
    "save_web_submission",
]

BATCH_SIZE = 2000
MAX_LISTED_ERRORS = 10_000  # a file wrong on every row still answers in reasonable size


class SubmissionFileError(ValueError):
    """The file cannot be imported; ``errors`` lists every problem as ``{"row", "column", "message"}``."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0]["message"] if errors else "")
        self.errors = errors


class SubmissionInvalid(ValueError):
    """A web entry with wrong answers; ``errors`` maps each input's name to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    imported: int
    already_present: int
    submission_import: SubmissionImport | None = None


def _membership_institution_id(user: User | None) -> int | None:
    if user is None:
        return None
    return user.memberships.filter(is_active=True).order_by("pk").values_list("institution_id", flat=True).first()


# XLSForms ----------------------------------------------------------------------------------------


def import_xlsform(file: IO[bytes], *, user: User | None, file_name: str = "") -> InstrumentVersion:
    """Validate and store an XLSForm as a new version of its instrument (``form_id``).

    The same form again answers the version already stored; other questions or choices under a
    version that exists are refused (change the ``version`` setting, as ODK requires)."""
    content = file.read()
    file_name = file_name or str(getattr(file, "name", "") or "form.xlsx").rsplit("/", 1)[-1]
    fallback = file_name.rsplit(".", 1)[0]
    parsed = parse_xlsform(content, fallback_form_id=fallback)
    version_label = parsed.version or hashlib.sha256(content).hexdigest()[:12]
    with transaction.atomic():
        instrument = Instrument.objects.select_for_update().filter(form_id=parsed.form_id).first()
        if instrument is None:
            instrument = Instrument.objects.create(
                form_id=parsed.form_id,
                title=parsed.title,
                description=str(parsed.settings.get("description", "") or ""),
                institution_id=_membership_institution_id(user),
            )
            audit_record(actor=user, action=AuditAction.CREATE, obj=instrument, summary=instrument.form_id)
        existing = instrument.versions.filter(version=version_label).first()
        if existing is not None:
            if existing.survey == parsed.survey and existing.choices == parsed.choices:
                return existing  # the same form, perhaps saved again (a workbook's bytes change on saving)
            raise XLSFormError(
                [
                    {
                        "row": None,
                        "message": _(
                            "Version “%(version)s” of “%(form)s” was already imported with different content: "
                            "change the version in the settings sheet."
                        )
                        % {"version": version_label, "form": parsed.form_id},
                    }
                ]
            )
        version = InstrumentVersion.objects.create(
            instrument=instrument,
            version=version_label,
            title=parsed.title,
            file_name=file_name[:255],
            xlsx=content,
            xform_xml=parsed.xform_xml,
            survey=parsed.survey,
            choices=parsed.choices,
            settings={key: str(value) for key, value in parsed.settings.items()},
            languages=parsed.languages,
            warnings=parsed.warnings,
            question_count=parsed.question_count,
            choice_count=parsed.choice_count,
            imported_by=user,
        )
        if instrument.title != parsed.title:
            instrument.title = parsed.title
            instrument.save(update_fields=["title"])
        audit_record(
            actor=user, action=AuditAction.CREATE, obj=version, summary=f"{instrument.form_id} {version_label}"
        )
    return version


# Web entries -------------------------------------------------------------------------------------


def save_web_submission(
    version: InstrumentVersion,
    answers: dict[str, Any],
    *,
    user: User,
    idempotency_key: str | None,
    start: str = "",
) -> Submission:
    """Store a web entry (answers shaped like stored data); ``SubmissionInvalid`` lists what is wrong.
    The same idempotency key again answers the first submission and stores nothing new."""
    definition = FormDefinition.of(version)
    evaluation = evaluate(definition, answers, metadata=Metadata.now(start=start, device=f"ruta:{user.pk}"))
    if evaluation.errors:
        raise SubmissionInvalid(evaluation.errors)

    def work() -> tuple[int, dict[str, Any]]:
        submission = Submission.objects.create(
            instrument_id=version.instrument_id,
            version=version,
            instance_id=str(uuid.uuid4()),
            data=evaluation.data,
            submitted_at=timezone.now(),
            submitted_by=user,
            institution_id=_membership_institution_id(user),
            source=SubmissionSource.WEB,
        )
        audit_record(actor=user, action=AuditAction.CREATE, obj=submission, summary=version.instrument.form_id)
        return 201, {"submission": submission.pk}

    result = run_idempotent(scope="instruments.submission", key=idempotency_key, payload=answers, work=work)
    return Submission.objects.get(pk=result.body["submission"])


# Imported files ----------------------------------------------------------------------------------


def import_submissions(
    version_or_instrument: InstrumentVersion | Instrument,
    file: IO[bytes],
    *,
    user: User | None,
    file_name: str = "",
    source: str | None = None,
) -> ImportResult:
    """Import a KoBoToolbox or ODK Central export for this form (or this version of it)."""
    if isinstance(version_or_instrument, InstrumentVersion):
        instrument, pinned = version_or_instrument.instrument, version_or_instrument
    else:
        instrument, pinned = version_or_instrument, None
    target = pinned or instrument.latest_version()
    if target is None:
        raise SubmissionFileError([{"row": None, "column": None, "message": _("The form has no version yet.")}])
    file_name = file_name or str(getattr(file, "name", "") or "").rsplit("/", 1)[-1]
    try:
        layout, lines = open_rows(file)
    except UnknownFormat as error:
        raise SubmissionFileError(
            [{"row": 1, "column": None, "message": _("Unknown file: %(reason)s.") % {"reason": error}}]
        ) from None
    except UnicodeDecodeError:
        raise SubmissionFileError(
            [{"row": None, "column": None, "message": _("The file is not UTF-8 text.")}]
        ) from None
    importer = _Importer(instrument, target, pinned, layout, user, file_name, source or layout.source)
    importer.check_header()
    with transaction.atomic():
        importer.run(lines)
        if importer.errors:
            transaction.set_rollback(True)
        else:
            importer.finish()
    if importer.errors:
        raise SubmissionFileError(importer.errors[:MAX_LISTED_ERRORS])
    return ImportResult(importer.imported, importer.already_present, importer.record)


class _Importer:
    def __init__(
        self,
        instrument: Instrument,
        target: InstrumentVersion,
        pinned: InstrumentVersion | None,
        layout: Layout,
        user: User | None,
        file_name: str,
        source: str,
    ) -> None:
        self.instrument, self.target, self.pinned, self.layout, self.user = instrument, target, pinned, layout, user
        self.source = source
        self.errors: list[dict[str, Any]] = []
        self.imported = self.already_present = 0
        self.seen: set[str] = set()
        self.batch: list[NewSubmission] = []
        self.versions = {version.version: version for version in instrument.versions.all()}
        self.definition = FormDefinition.of(target)
        self.names = choice_names(target.choices)
        self.institution_id = _membership_institution_id(user)
        self.file_name = file_name
        self.record: SubmissionImport | None = None
        self.started = timezone.now()

    def error(self, row: int | None, column: str | None, message: str) -> None:
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append({"row": row, "column": column, "message": message})

    def check_header(self) -> None:
        """Map each column to its question; a column that is no question of this form is refused."""
        header = self.layout.header
        columns: list[tuple[str, str, int, Callable[[Any], Any]]] = []
        questions = {item.path: item for item in leaves(self.definition.fields) if item.type != "note"}
        multiple = {path for path, item in questions.items() if item.type == "select all that apply"}
        unknown = []
        for position, column in enumerate(header):
            path = column.replace(self.layout.separator, "/") if self.layout.separator != "/" else column
            if path in questions:
                columns.append((column, path, position, converter(questions[path], self.names)))
            elif not column or self.layout.is_metadata(column):
                continue
            elif any(path.startswith(prefix + "/") for prefix in multiple):
                continue  # KoBo's one 0/1 column per option of a multiple choice
            elif self.layout.tool == "odk" and path.rsplit("/", 1)[0] in self.definition.by_path:
                continue  # ODK's parts of a geopoint and the like, under a question's path
            else:
                unknown.append(column)
        self.columns = columns
        instance_column = self.layout.instance_column()
        self.instance_position = header.index(instance_column) if instance_column else None
        submitted = self.layout.submitted_column()
        self.submitted_position = header.index(submitted) if submitted else None
        version_column = self.layout.version_column()
        self.version_position = header.index(version_column) if version_column else None
        form_id_column = self.layout.form_id_column()
        self.form_id_position = header.index(form_id_column) if form_id_column else None
        problems = []
        if self.instance_position is None:
            problems.append(
                {
                    "row": 1,
                    "column": None,
                    "message": _("The file has no instance ID column (meta/instanceID, _uuid, KEY)."),
                }
            )
        if unknown:
            problems.append(
                {
                    "row": 1,
                    "column": ", ".join(unknown[:20]),
                    "message": _(
                        "The file is not an export of “%(form)s” version %(version)s: "
                        "%(count)s column(s) are not questions of it."
                    )
                    % {"form": self.instrument.form_id, "version": self.target.version, "count": len(unknown)},
                }
            )
        if problems:
            raise SubmissionFileError(problems)

    def run(self, lines: Iterator[tuple[int, list[Any]]]) -> None:
        """Inside the import's transaction."""
        self.record = SubmissionImport.objects.create(
            instrument=self.instrument,
            version=self.pinned,
            file_name=self.file_name[:255],
            source=self.source,
            imported_by=self.user,
        )
        for number, values in lines:
            self.row(number, values)
        if not self.errors:
            self.flush()

    def cell(self, values: list[Any], position: int | None) -> Any:
        if position is None or position >= len(values):
            return ""
        return values[position]

    def row(self, number: int, values: list[Any]) -> None:
        instance_id = str(self.cell(values, self.instance_position) or "").strip()
        if instance_id.startswith("uuid:"):
            instance_id = instance_id[5:]
        if not instance_id:
            self.error(number, self.layout.instance_column(), _("The instance ID is empty."))
        form_id = str(self.cell(values, self.form_id_position) or "").strip()
        if form_id and form_id != self.instrument.form_id:
            self.error(
                number,
                "_xform_id_string",
                _("This row belongs to the form “%(other)s”, not “%(form)s”.")
                % {"other": form_id, "form": self.instrument.form_id},
            )
        version = self.row_version(number, str(self.cell(values, self.version_position) or "").strip())
        data: dict[str, Any] = {}
        width = len(values)
        for column, path, position, convert in self.columns:
            raw = values[position] if position < width else ""
            if raw is None or raw == "" or (type(raw) is str and raw.isspace()):
                continue
            try:
                data[path] = convert(raw)
            except AnswerError as error:
                self.error(number, column, str(error))
        submitted_at = self.submitted_at(number, self.cell(values, self.submitted_position))
        if self.errors:  # the import will be rolled back: only keep listing errors
            return
        if instance_id in self.seen:
            self.already_present += 1
            return
        self.seen.add(instance_id)
        self.batch.append(
            NewSubmission(
                instrument_id=self.instrument.pk,
                version_id=(version or self.target).pk,
                instance_id=instance_id[:120],
                data=data,
                submitted_at=submitted_at,
                institution_id=self.institution_id,
                source=self.source,
                submission_import_id=self.record.pk if self.record else None,
            )
        )
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    def row_version(self, number: int, label: str) -> InstrumentVersion | None:
        if not label:
            return None
        version = self.versions.get(label)
        if (
            self.pinned is not None
            and label != self.pinned.version
            and (version is not None or self.layout.tool == "odk")
        ):
            self.error(
                number,
                self.layout.version_column(),
                _("This row was collected with version “%(other)s”, not “%(version)s”.")
                % {"other": label, "version": self.pinned.version},
            )
        elif version is None and self.layout.tool == "odk":
            # ODK Central's FormVersion is the XLSForm's; KoBo's __version__ is its own internal ID.
            self.error(
                number,
                self.layout.version_column(),
                _("Ruta has no version “%(other)s” of this form: import that XLSForm first.") % {"other": label},
            )
        return version

    def submitted_at(self, number: int, value: Any) -> datetime:
        if isinstance(value, datetime):
            moment: datetime | None = value
        elif value:
            moment = parse_datetime(str(value).strip().replace(" ", "T", 1))
            if moment is None:
                self.error(
                    number, self.layout.submitted_column(), _("“%(value)s” is not a date and time.") % {"value": value}
                )
                return timezone.now()
        else:
            return timezone.now()
        assert moment is not None
        return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)

    def flush(self) -> None:
        if not self.batch:
            return
        present = bulk.existing(self.instrument.pk, [submission.instance_id for submission in self.batch])
        fresh = [submission for submission in self.batch if submission.instance_id not in present]
        bulk.insert(fresh, created_at=self.started)
        self.imported += len(fresh)
        self.already_present += len(self.batch) - len(fresh)
        self.batch = []

    def finish(self) -> None:
        assert self.record is not None
        self.record.row_count = self.imported + self.already_present
        self.record.imported_count = self.imported
        self.record.already_present_count = self.already_present
        self.record.save(update_fields=["row_count", "imported_count", "already_present_count"])
        audit_record(
            actor=self.user,
            action=AuditAction.CREATE,
            obj=self.record,
            summary=f"{self.instrument.form_id}: {self.imported} imported, {self.already_present} already present",
        )
