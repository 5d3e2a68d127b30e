from typing import Any

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


# Security keys (WebAuthn): anyone signed in adds their own (after re-authentication; force_login
# counts as a fresh proof); a key is removed only by its owner — anyone else gets 404.
def _caseworker_keys(personas: dict[str, Any]) -> dict[str, Any]:
    from ruta.accounts.models import WebAuthnCredential

    owner = personas["caseworker"]
    keys = [
        WebAuthnCredential.objects.create(
            user=owner, credential_id=f"matrix-key-{n}", public_key=b"\x00", user_handle=b"\x01" * 32, name=f"key {n}"
        )
        for n in (1, 2)  # two, so removing one does not take away the owner's only second factor
    ]
    return {"key": keys[0]}


KEY_OWNER = {"caseworker"}
ROUTES += [
    Route("accounts:security_key_add", {EVERYONE}),
    Route(
        "accounts:security_key_add",
        {EVERYONE},
        method="POST",
        label="no-answer",
        # The form comes back with an error: the browser sent no answer from a key.
        data=lambda w: {"name": "blue USB key", "credential": ""},
    ),
    Route("accounts:security_key_remove", KEY_OWNER, world=_caseworker_keys, kwargs=lambda w: {"pk": w["key"].pk}),
    Route(
        "accounts:security_key_remove",
        KEY_OWNER,
        method="POST",
        world=_caseworker_keys,
        kwargs=lambda w: {"pk": w["key"].pk},
        ok=frozenset({302}),
    ),
]
