from tests.access.harness import Route

SCREENERS = {
    "duty_officer",
    "eri_responder",
    "caseworker",
    "supervisor",
    "labour_inspector",
    "caseworker_ngo",
    "eri_responder_north",
    "supervisor_health",
}
CATALOGUE_MANAGERS = {"administrator"}

ADULT_CASE = {
    "age": 35,
    "presumed_child": False,
    "exploitation": "labour",
    "indicators": ["THB-AL-DR-01", "THB-AL-DR-02", "THB-AL-EX-01", "THB-AL-EX-02", "THB-AL-CD-01", "THB-AL-CD-02"],
}

ROUTES = [
    Route("screening:calculator", SCREENERS),
    Route(
        "screening:calculator",
        SCREENERS,
        method="POST",
        label="screen",
        data=lambda w: {"age": "35", "exploitation": "labour", "indicators": ADULT_CASE["indicators"]},
    ),
    Route("screening:indicator_fields", SCREENERS),
    Route("screening:catalogue", CATALOGUE_MANAGERS),
    # A form post without a file: the allowed persona gets the form back with errors.
    Route(
        "screening:catalogue_import",
        CATALOGUE_MANAGERS,
        method="POST",
        data=lambda w: {"indicator_list": "adult_sexual", "confirm": "on"},
        ok=frozenset({400}),
    ),
    Route("api:screening-run", SCREENERS, method="POST", data=lambda w: ADULT_CASE),
    Route("api:screening-catalogue", SCREENERS | CATALOGUE_MANAGERS),
]
