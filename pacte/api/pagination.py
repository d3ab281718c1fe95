from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class PageNumberPagination(PaginationBase):
    """`?page=2&page_size=100`; the answer carries the total `count` beside the `items`."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="Numéro de page (à partir de 1)")
        page_size: int = Field(
            settings.PACTE_PAGE_SIZE,
            ge=1,
            le=settings.PACTE_API_MAX_PAGE_SIZE,
            description="Éléments par page",
        )

    class Output(Schema):
        count: int
        page: int
        page_size: int
        pages: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params) -> dict:
        count = (
            queryset.count()
            if hasattr(queryset, "count") and not isinstance(queryset, list)
            else len(queryset)
        )
        start = (pagination.page - 1) * pagination.page_size
        return {
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "pages": max(1, -(-count // pagination.page_size)),
            "items": list(queryset[start : start + pagination.page_size]),
        }
