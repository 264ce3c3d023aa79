from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag
def query_with(query, name, value):
    """The current query string with one facet set (and back to page 1)."""
    params = QueryDict(query, mutable=True)
    params[name] = value
    params.pop("page", None)
    return params.urlencode()


@register.simple_tag
def query_without(query, name):
    params = QueryDict(query, mutable=True)
    params.pop(name, None)
    params.pop("page", None)
    return params.urlencode()
