"""The actor map: institutions, what services they offer where, and whom to contact.

It doubles as the referral directory: a referral goes to an institution for one of its services,
and the directory tells which institutions cover a municipality."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ruta.core.models import TimeStampedModel, TranslatedLabelsMixin
from ruta.geo.models import Department, Municipality


class InstitutionType(models.TextChoices):
    COMMISSION = "commission", _("National commission")
    IMMEDIATE_RESPONSE_TEAM = "immediate_response_team", _("Immediate-response team")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Public prosecutor")
    JUDICIARY = "judiciary", _("Judiciary")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    MUNICIPALITY = "municipality", _("Municipality")
    NGO = "ngo", _("Civil-society organisation")
    INTERNATIONAL = "international", _("International organisation")
    OTHER = "other", _("Other")


class Institution(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("acronym"), max_length=40, blank=True)
    type = models.CharField(_("type"), max_length=32, choices=InstitutionType.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="units", verbose_name=_("part of")
    )
    national_coverage = models.BooleanField(_("covers the whole country"), default=False)
    departments = models.ManyToManyField(Department, blank=True, verbose_name=_("departments covered"))
    municipalities = models.ManyToManyField(Municipality, blank=True, verbose_name=_("municipalities covered"))
    headquarters = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="headquartered_institutions",
        verbose_name=_("headquarters"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.short_name or self.name


class ServiceCategory(TranslatedLabelsMixin):
    """Catalogue of services along the referral route (shelter, health care, legal aid…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    needs_area = models.CharField(
        _("needs area"),
        max_length=32,
        blank=True,
        help_text=_("Which assessed need this service answers (safety, health, legal…)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.label


class InstitutionService(TimeStampedModel):
    """One service that an institution offers, where, and whether it takes referrals."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="services", verbose_name=_("institution")
    )
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="offers", verbose_name=_("service")
    )
    description = models.TextField(_("description"), blank=True)
    national_coverage = models.BooleanField(_("available in the whole country"), default=False)
    departments = models.ManyToManyField(Department, blank=True, verbose_name=_("departments"))
    municipalities = models.ManyToManyField(Municipality, blank=True, verbose_name=_("municipalities"))
    accepts_referrals = models.BooleanField(_("accepts referrals"), default=True)
    serves_children = models.BooleanField(_("serves children"), default=True)
    serves_adults = models.BooleanField(_("serves adults"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["institution__name", "category__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "category"], name="institution_service_unique"),
        ]
        verbose_name = _("service offered")
        verbose_name_plural = _("services offered")

    def __str__(self) -> str:
        return f"{self.institution} — {self.category}"

    @staticmethod
    def covering(municipality: Municipality) -> Q:
        """Services available in ``municipality``: national, its department, or the municipality."""
        return Q(national_coverage=True) | Q(departments=municipality.department_id) | Q(municipalities=municipality.pk)


class ContactPoint(TimeStampedModel):
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="contact_points", verbose_name=_("institution")
    )
    name = models.CharField(_("name"), max_length=160)
    position = models.CharField(_("position"), max_length=160, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_referral_focal_point = models.BooleanField(_("referral focal point"), default=False)

    class Meta:
        ordering = ["institution__name", "name"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")

    def __str__(self) -> str:
        return f"{self.name} ({self.institution})"
