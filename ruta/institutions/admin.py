from django.contrib import admin

from ruta.core.admin_site import ConfigurationAdmin
from ruta.geo.models import Department, Municipality
from ruta.institutions.models import ContactPoint, Institution, InstitutionService, ServiceCategory
from ruta.institutions.permissions import DirectoryPermission


class InstitutionServiceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = InstitutionService
    extra = 0
    autocomplete_fields = ["category"]
    fields = ["category", "national_coverage", "accepts_referrals", "serves_children", "serves_adults", "is_active"]


class ContactPointInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ContactPoint
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(ConfigurationAdmin):
    ruta_permission = DirectoryPermission.MANAGE
    list_display = ["name", "short_name", "type", "national_coverage", "is_active"]
    list_filter = ["type", "national_coverage", "is_active"]
    search_fields = ["name", "short_name", "code"]
    filter_horizontal = ["departments", "municipalities"]
    inlines = [InstitutionServiceInline, ContactPointInline]


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ConfigurationAdmin):
    ruta_permission = DirectoryPermission.MANAGE
    list_display = ["code", "label", "needs_area", "is_active", "sort_order"]
    search_fields = ["code"]


@admin.register(InstitutionService)
class InstitutionServiceAdmin(ConfigurationAdmin):
    ruta_permission = DirectoryPermission.MANAGE
    list_display = ["institution", "category", "national_coverage", "accepts_referrals", "is_active"]
    list_filter = ["category", "accepts_referrals"]
    filter_horizontal = ["departments", "municipalities"]


# Territories are kept by whoever keeps the directory (coverage is expressed in them); they are
# registered here because geo sits below institutions and so cannot name the directory's permission.
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
