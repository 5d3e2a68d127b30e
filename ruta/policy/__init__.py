"""Authorisation: permissions, roles and the access policy (who may see or act on which record).

Authentication (log-in, second factor, sessions, lockout) lives in ``ruta.accounts``; this package
answers only "may this user do that, and on which records". Apps declare their permissions in their
own ``permissions.py`` and grant them to roles from their ``plugin.py``."""
