from typing import Any

from django.conf import settings
from django.http import HttpRequest

from ruta.core.navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"navigation": navigation_for(user), "second_factor_enforced": settings.MFA_ENFORCED}
