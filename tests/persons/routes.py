from __future__ import annotations

from tests.access.harness import Route
from tests.persons.factories import case_world

# The person was registered by the ERI responder (own) and sits in an ERI case whose team has the
# legal liaison; the ERI supervisor reaches it through the institution.
READERS = {"eri_responder", "supervisor", "legal_liaison"}
EDITORS = {"eri_responder"}  # needs CASE_EDIT and identity on the record (the supervisor has neither: team scope)
MERGERS = {"supervisor"}

ROUTES = [
    Route("persons:detail", READERS, world=case_world, kwargs=lambda w: {"reference": w["person"].reference}),
    Route("persons:edit", EDITORS, world=case_world, kwargs=lambda w: {"reference": w["person"].reference}),
    Route(
        "persons:edit",
        EDITORS,
        method="POST",
        label="stale",
        world=case_world,
        kwargs=lambda w: {"reference": w["person"].reference},
        data=lambda w: {
            "version": 99,
            "given_names": "X",
            "sex": "female",
            "age_group": "unknown",
            "migration_status": "unknown",
        },
        ok=frozenset({409}),
    ),
    Route("persons:duplicates", MERGERS, world=case_world, kwargs=lambda w: {"reference": w["person"].reference}),
    Route(
        "persons:merge",
        MERGERS,
        world=case_world,
        kwargs=lambda w: {"reference": w["person"].reference, "other": w["twin"].reference},
    ),
    Route(
        "persons:merge",
        MERGERS,
        method="POST",
        label="confirm",
        world=case_world,
        kwargs=lambda w: {"reference": w["person"].reference, "other": w["twin"].reference},
        data=lambda w: {"confirm": "on", "reason": "same person"},
        ok=frozenset({302}),
    ),
    Route("api:person-detail", READERS, world=case_world, kwargs=lambda w: {"reference": w["person"].reference}),
    Route("api:person-duplicates", READERS, world=case_world, kwargs=lambda w: {"reference": w["person"].reference}),
]
