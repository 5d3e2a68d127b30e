from django.contrib import admin

from ruta.accounts.roles import Permission
from ruta.core.admin_site import ConfigurationAdmin
from ruta.geo.models import Department, Municipality


@admin.register(Department)
class DepartmentAdmin(ConfigurationAdmin):
    ruta_permission = Permission.DIRECTORY_MANAGE
    list_display = ["code", "name", "iso_code"]
    search_fields = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(ConfigurationAdmin):
    ruta_permission = Permission.DIRECTORY_MANAGE
    list_display = ["code", "name", "department"]
    list_filter = ["department"]
    search_fields = ["code", "name"]
    list_select_related = ["department"]
