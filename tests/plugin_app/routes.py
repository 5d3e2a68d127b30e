from django.apps import apps

from tests.access.harness import Route

OUTREACH_READERS = {"supervisor", "supervisor_health"}

# The module's URLs exist only where it is installed (tests.plugin_app.settings); there the access
# matrix must cover them like any other.
ROUTES = (
    [Route("plugin_app:visits", OUTREACH_READERS), Route("api:outreach_visits", OUTREACH_READERS)]
    if apps.is_installed("tests.plugin_app")
    else []
)
