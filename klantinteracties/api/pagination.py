from django.conf import settings
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`page`/`pageSize` with `{count, next, previous, results}`; absolute next/previous URLs."""

    page_size_query_param = "pageSize"
    max_page_size = settings.PAGE_SIZE_MAX
