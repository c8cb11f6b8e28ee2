"""Cursor pagination: stable under inserts, constant cost per page however deep.

Stricter than DRF's: a `page_size` that is not a whole number from 1 to `max_page_size`, or a
cursor that was not given by the API, is refused with 400 (not silently replaced)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination as _CursorPagination


class CursorPagination(_CursorPagination):
    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_description = "The position in the list, from `next` or `previous`."

    def get_page_size(self, request):
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        value = values[-1]
        if len(values) > 1 or not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: ValidationError(
                _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size},
                code="invalid")})
        return int(value)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound as error:
            raise ValidationError({self.cursor_query_param: ValidationError(
                _("This cursor is not valid: use the `next` or `previous` link of a page."),
                code="invalid")}) from error

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1,
                                       "maximum": self.max_page_size,
                                       "default": self.page_size}
                parameter["description"] = "How many results per page."
        return parameters
