from tests.access.harness import Route

EXPORTERS = {"administrator", "supervisor", "supervisor_health", "analyst"}
BREAK_GLASS = {"supervisor", "supervisor_health"}

ROUTES = [
    Route("security:exports", EXPORTERS),
    Route(
        "security:exports",
        EXPORTERS,
        method="POST",
        label="audit-log",
        # Analysts may not export the audit log: the form refuses the choice (200 with an error).
        data=lambda w: {"kind": "audit_log", "purpose": "Quarterly oversight review"},
    ),
    Route("security:break_glass", BREAK_GLASS),
    Route(
        "security:break_glass",
        BREAK_GLASS,
        method="POST",
        label="unknown-record",
        data=lambda w: {"object_type": "cases.case", "identifier": "C-0000-000000", "reason": "x" * 30},
    ),
]
