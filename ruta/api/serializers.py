from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ruta.accounts.models import Membership, User
from ruta.geo.models import Department, Municipality
from ruta.institutions.models import Institution, InstitutionService
from ruta.policy.roles import ROLES


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["institution", "role", "department", "municipality", "permissions"]

    def get_permissions(self, membership: Membership) -> dict[str, str]:
        role = ROLES.get(membership.role)
        return {str(perm): scope.name.lower() for perm, scope in role.grants.items()} if role else {}


class MeSerializer(serializers.ModelSerializer[User]):
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "memberships"]

    def get_memberships(self, user: User) -> list[dict[str, Any]]:
        active = user.memberships.filter(is_active=True).select_related("institution", "department", "municipality")
        return MembershipSerializer(active, many=True).data  # type: ignore[return-value]


class DepartmentSerializer(serializers.ModelSerializer[Department]):
    class Meta:
        model = Department
        fields = ["code", "name", "iso_code"]


class MunicipalitySerializer(serializers.ModelSerializer[Municipality]):
    department: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Municipality
        fields = ["code", "name", "department"]


class InstitutionServiceSerializer(serializers.ModelSerializer[InstitutionService]):
    service: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        source="category", slug_field="code", read_only=True
    )
    service_label = serializers.CharField(source="category.label", read_only=True)

    class Meta:
        model = InstitutionService
        fields = [
            "service",
            "service_label",
            "national_coverage",
            "accepts_referrals",
            "serves_children",
            "serves_adults",
        ]


class InstitutionSerializer(serializers.ModelSerializer[Institution]):
    services = InstitutionServiceSerializer(source="matching_services", many=True, read_only=True)
    headquarters: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Institution
        fields = [
            "code",
            "name",
            "short_name",
            "type",
            "national_coverage",
            "headquarters",
            "phone",
            "email",
            "website",
            "services",
        ]
