"""The pagination of every API list: `?page=2&page_size=100`; the answer carries the total `count` and the number
of `pages` beside the `items`.

Both parameters are bounded, so that no value reaches the database as an offset it cannot hold
(`?page=922337203685477581` used to end in a 500: the offset overflows a signed 64-bit integer, the largest
integer of SQLite — https://www.sqlite.org/datatype3.html, « up to 8 bytes » — and PostgreSQL's `bigint`):
- `page_size` lies between 1 and `PACTE_API_MAX_PAGE_SIZE`, `page` is at least 1: otherwise `422`, naming the
  parameter (`pacte.api.errors`);
- a `page` past the last answers `404`, naming the parameter and the number of pages (page 1 of an empty list
  is a page, with no items). The offset is then at most the number of rows.
"""

from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase

from pacte import formatting


class PageNumberPagination(PaginationBase):
    """`?page=2&page_size=100`; the answer carries the total `count` beside the `items`. A page past the last: 404."""

    class Input(Schema):
        page: int = Field(
            1, ge=1, description="Numéro de page (à partir de 1 ; au-delà de la dernière : 404)"
        )
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
        pages = max(1, -(-count // pagination.page_size))
        if pagination.page > pages:
            # « page : la page 7 n'existe pas ; cette liste en compte 3 (avec page_size = 50). »
            raise HttpError(
                404,
                f"page : la page {pagination.page} n'existe pas ; cette liste en compte "
                f"{formatting.number(pages)} (avec page_size = {pagination.page_size}).",
            )
        start = (pagination.page - 1) * pagination.page_size
        return {
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "pages": pages,
            "items": list(queryset[start : start + pagination.page_size]),
        }
