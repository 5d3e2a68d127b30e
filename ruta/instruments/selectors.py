"""Reads of instruments and submissions, through the access policy (forbidden and missing: 404)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from ruta.accounts.models import User
from ruta.instruments.models import Instrument, InstrumentVersion, Submission
from ruta.instruments.permissions import InstrumentPermission
from ruta.policy import access
from ruta.policy.permissions import Permission

# Seeing an instrument (its questions) comes with any instrument permission.
READ_INSTRUMENT = (InstrumentPermission.MANAGE, InstrumentPermission.SUBMIT, InstrumentPermission.VIEW_SUBMISSIONS)

# A version's uploaded file and parsed form: large, and never shown where versions are only listed.
VERSION_PAYLOAD = ("xlsx", "xform_xml", "survey", "choices")


def _reader_permission(user: User) -> Permission:
    return next((permission for permission in READ_INSTRUMENT if access.has_perm(user, permission)), READ_INSTRUMENT[0])


def instruments_visible(user: User) -> QuerySet[Instrument]:
    queryset = Instrument.objects.annotate(version_count=Count("versions", distinct=True))
    return access.visible(user, _reader_permission(user), queryset).order_by("title", "pk")


def instrument_for(user: User, pk: int) -> Instrument:
    return access.get_visible_or_404(user, _reader_permission(user), Instrument.objects.all(), pk=pk)


def version_for(user: User, pk: int) -> InstrumentVersion:
    return access.get_visible_or_404(
        user, _reader_permission(user), InstrumentVersion.objects.select_related("instrument"), pk=pk
    )


def submissions_visible(user: User, instrument: Instrument | None = None) -> QuerySet[Submission]:
    queryset = Submission.objects.select_related("version", "submitted_by", "instrument")
    if instrument is not None:
        queryset = queryset.filter(instrument=instrument)
    return access.visible(user, InstrumentPermission.VIEW_SUBMISSIONS, queryset)


def submission_for(user: User, pk: int) -> Submission:
    return access.get_visible_or_404(
        user,
        InstrumentPermission.VIEW_SUBMISSIONS,
        Submission.objects.select_related("version", "instrument", "submitted_by"),
        pk=pk,
    )
