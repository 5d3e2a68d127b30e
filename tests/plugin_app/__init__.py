"""A module that plugs into Ruta with no central edit, following docs/architecture.md ("How to add a
module") step by step. It is installed only in ``tests.plugin_app.settings`` (see test_plugin_app.py)."""
