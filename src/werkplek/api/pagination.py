"""Cursor pagination: stable under inserts, constant cost per page however deep."""

from rest_framework.pagination import CursorPagination as _CursorPagination


class CursorPagination(_CursorPagination):
    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_description = "The position in the list, from `next` or `previous`."
