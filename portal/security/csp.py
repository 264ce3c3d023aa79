"""The Content-Security-Policy (django-csp; Django 5.2 has none built in).

Public pages: scripts only from our own origin, or inline with the request's nonce (templates
write `nonce="{{ request.csp_nonce }}"`; ours have no inline scripts today). Styles allow
'unsafe-inline': templates set widths in style attributes and Leaflet/ECharts style the
elements they draw. hls.js plays from blob: URLs. Media (images, video, streams) may also come
from the media store's origin (S3 endpoint or custom domain, an absolute MEDIA_URL), read from
the settings on each response so a changed storage follows.

The Wagtail admin still renders inline scripts (inline panels, date choosers) and event
handler attributes, so its pages get 'unsafe-inline' scripts and no nonce (a nonce would make
browsers ignore 'unsafe-inline'); map tiles may come from any https: origin the hub sets.
"""

from functools import cache
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse

PUBLIC_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "media-src": [SELF, "blob:"],
    "connect-src": [SELF],
    "worker-src": [SELF, "blob:"],
    "font-src": [SELF, "data:"],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}
ADMIN_REPLACEMENTS = {
    "script-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", "https:"],
}
MEDIA_DIRECTIVES = ("img-src", "media-src", "connect-src")


def _origin(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def media_origins():
    """Where media URLs point when not at this site: the S3 store or an absolute MEDIA_URL."""
    options = settings.STORAGES["default"].get("OPTIONS", {})
    origins = {_origin(settings.MEDIA_URL)}
    if options.get("custom_domain"):
        origins.add(f"{options.get('url_protocol', 'https:')}//{options['custom_domain']}")
    elif endpoint := _origin(options.get("endpoint_url")):
        if options.get("addressing_style") == "virtual":
            scheme, host = endpoint.split("://", 1)
            endpoint = f"{scheme}://{options['bucket_name']}.{host}"
        origins.add(endpoint)
    return sorted(origin for origin in origins if origin)


@cache
def admin_prefix():
    return reverse("wagtailadmin_home")


class AdminAwareCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, plus the media origins, plus settings.CONTENT_SECURITY_POLICY_ADMIN
    replacing directives on the admin's pages."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if origins := media_origins():
            parts.update = {name: origins for name in MEDIA_DIRECTIVES} | (parts.update or {})
        if request.path_info.startswith(admin_prefix()):
            parts.replace = settings.CONTENT_SECURITY_POLICY_ADMIN | (parts.replace or {})
            parts.nonce = None
        return parts
