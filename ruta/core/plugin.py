"""What the core app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from ruta.core.plugins import mount_pages

mount_pages("", "ruta.core.urls")
