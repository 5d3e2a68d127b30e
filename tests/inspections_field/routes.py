"""Permission-matrix entries for the inspector's field form: the shell needs the right to record
visits; its service worker and manifest hold no data and are public (a browser fetches a manifest
without cookies and re-checks a service worker after the session ended)."""

from __future__ import annotations

from ruta.demo.personas import PERSONAS
from tests.access.harness import Route

# Whoever records visits: every persona of the labour-inspector role (variants included).
RECORDERS = {persona.key for persona in PERSONAS if persona.role == "labour_inspector"}

ROUTES = [
    Route("inspections_field:shell", RECORDERS),
    Route("inspections_field:service-worker", set(), public=True),
    Route("inspections_field:manifest", set(), public=True),
]
