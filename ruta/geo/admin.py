from django.contrib import admin

from ruta.core.admin_site import ConfigurationAdmin
from ruta.geo.models import Department, Municipality
from ruta.institutions.permissions import DirectoryPermission


@admin.register(Department)
class DepartmentAdmin(ConfigurationAdmin):
    ruta_permission = DirectoryPermission.MANAGE
    list_display = ["code", "name", "iso_code"]
    search_fields = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(ConfigurationAdmin):
    ruta_permission = DirectoryPermission.MANAGE
    list_display = ["code", "name", "department"]
    list_filter = ["department"]
    search_fields = ["code", "name"]
    list_select_related = ["department"]
