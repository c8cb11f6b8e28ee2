"""Small serializers that several resources share."""

from rest_framework import serializers

from werkplek.core.identifiers import format_enterprise_number, format_establishment_unit_number


class NamedSerializer(serializers.Serializer):
    """A catalogue entry by its code, with its name in Dutch and English."""

    code = serializers.CharField()
    name_nl = serializers.CharField()
    name_en = serializers.CharField()


class ProgrammeRefSerializer(NamedSerializer):
    pass


class PartnershipRefSerializer(NamedSerializer):
    pass


class ProvinceRefSerializer(NamedSerializer):
    pass


class EnterpriseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    enterprise_number = serializers.SerializerMethodField(
        help_text="The KBO number, written 0123.456.749.")
    name = serializers.CharField()

    def get_enterprise_number(self, enterprise) -> str:
        return format_enterprise_number(enterprise.enterprise_number)


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit_number = serializers.SerializerMethodField(
        help_text="The KBO number of the establishment unit, written 2.123.456.789.")
    name = serializers.CharField()
    street = serializers.CharField()
    postal_code = serializers.CharField()
    municipality = serializers.CharField()
    province = ProvinceRefSerializer(allow_null=True)

    def get_unit_number(self, unit) -> str:
        return format_establishment_unit_number(unit.unit_number)


class EventSerializer(serializers.Serializer):
    """One entry of a timeline."""

    kind = serializers.CharField()
    label = serializers.CharField(source="get_kind_display")
    from_state = serializers.CharField(allow_blank=True, required=False)
    to_state = serializers.CharField(allow_blank=True, required=False)
    message = serializers.CharField(allow_blank=True)
    at = serializers.DateTimeField(source="created_at")
