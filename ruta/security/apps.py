from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "ruta.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from ruta.policy import access
        from ruta.security import break_glass
        from ruta.security.retention import retention_rules_ensure

        # Break-the-glass grants widen the access policy for exactly one record each.
        access.register_extra_reach(break_glass.reach)
        # Every registered retention policy gets its rule, including a module's added later.
        post_migrate.connect(retention_rules_ensure, sender=self, dispatch_uid="ruta.security.retention_rules")
