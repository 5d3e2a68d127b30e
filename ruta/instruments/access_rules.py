"""Who reaches which instrument and submission, per scope (see ``ruta.policy.access``).

Instruments are shared tools: every holder of an instrument permission may see every instrument
(``own``/``institution`` rules reach all), while submissions are answers people gave and follow
need to know:

- ``own``: the submissions the user entered or imported;
- ``institution``: the submissions entered or imported by the user's institutions."""

from __future__ import annotations

from django.db.models import Q

from ruta.instruments.models import Instrument, InstrumentVersion, Submission
from ruta.policy import access

EVERYTHING = Q(pk__isnull=False)  # an empty Q() would vanish when OR-ed with the other scopes

for _model in (Instrument, InstrumentVersion):
    access.register(
        _model,
        access.ScopeRules(own=lambda user: EVERYTHING, institution=lambda ids: EVERYTHING),
    )

access.register(
    Submission,
    access.ScopeRules(
        own=lambda user: Q(submitted_by=user) | Q(submission_import__imported_by=user),
        institution=lambda ids: Q(institution_id__in=ids),
    ),
)
