"""Registers the notification job handlers with the worker."""

from ruta.notifications import services  # noqa: F401
