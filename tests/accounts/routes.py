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

# Resetting another user's second factor: holders of USER_MANAGE (administrators) only.
MFA_RESETTERS = {"administrator"}
ROUTES += [
    Route("accounts:mfa_reset", MFA_RESETTERS),
    Route(
        "accounts:mfa_reset",
        MFA_RESETTERS,
        method="POST",
        label="unknown-user",
        # An administrator gets the form back with an error: nobody they administer has that name.
        data=lambda w: {"username": "nobody-here", "reason": "Phone lost; identity confirmed by a call back."},
    ),
]
