"""Ruta's settings plus one line: the test module in INSTALLED_APPS (step 1 of "How to add a module")."""

from ruta.settings import *  # noqa: F403
from ruta.settings import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.plugin_app"]

# Its own test database, so it can run while the main test session holds the usual one.
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"]["NAME"] = f"test_{DATABASES['default']['NAME']}_plugin_app"
