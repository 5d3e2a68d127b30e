from tests.access.harness import EVERYONE, Route

ROUTES = [
    # The second step answers everyone: without a pending log-in it sends the visitor back to log in.
    Route("accounts:verify", set(), public=True, ok=frozenset({302})),
    Route("accounts:enrol", set(), public=True, ok=frozenset({302})),
    Route("accounts:reauth", {EVERYONE}),
    Route("accounts:security", {EVERYONE}),
    Route("accounts:recovery_codes", {EVERYONE}),
    Route("accounts:password_change", {EVERYONE}),
]
