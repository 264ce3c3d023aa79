"""Select the search backend from settings: SEARCH_BACKEND=database (default) or elasticsearch."""

from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

BACKENDS = {
    "database": "search.backends.database.DatabaseBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
}


@lru_cache(maxsize=4)
def _load(name):
    return import_string(BACKENDS[name])()


def get_backend(name=None):
    return _load(name or getattr(settings, "SEARCH_BACKEND", "database"))
