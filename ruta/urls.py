from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("", include("ruta.core.urls")),
    path("accounts/", include("ruta.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("geo/", include("ruta.geo.urls")),
    path("directory/", include("ruta.institutions.urls")),
    path("audit/", include("ruta.audit.urls")),
    path("alerts/", include("ruta.alerts.urls")),
    path("", include("ruta.alerts.public_urls")),
    path("screening/", include("ruta.screening.urls")),
    path("persons/", include("ruta.persons.urls")),
    path("cases/", include("ruta.cases.urls")),
    path("referrals/", include("ruta.referrals.urls")),
    path("notifications/", include("ruta.notifications.urls")),
    path("security/", include("ruta.security.urls")),
    path("api/", include("ruta.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
