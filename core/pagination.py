"""API page size: the client may ask for up to 200 rows a page.

Its own module because DRF imports the pagination class while defining its generic views.
"""

from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
