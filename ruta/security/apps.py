from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "ruta.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from ruta.policy import access
        from ruta.security import break_glass

        # Break-the-glass grants widen the access policy for exactly one record each.
        access.register_extra_reach(break_glass.reach)
