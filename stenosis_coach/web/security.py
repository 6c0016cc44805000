"""Response headers: which browser features a page may use, and that no page is kept in a
browser's or a proxy's HTTP cache."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers

# Only the player's Screen Wake Lock (the screen stays on during a session, wake.js), sound
# (the beeps) and writing a link to the clipboard (copy-link.js) are ours to use; speech
# synthesis needs no permission. Everything else is off, for us and anything we could embed.
ALLOWED_FEATURES = {
    "screen-wake-lock": "(self)",
    "autoplay": "(self)",
    "clipboard-write": "(self)",
}
DENIED_FEATURES = (
    "accelerometer",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(
    [f"{feature}={allowed}" for feature, allowed in ALLOWED_FEATURES.items()]
    + [f"{feature}=()" for feature in DENIED_FEATURES]
)

Middleware = Callable[[HttpRequest], HttpResponseBase]


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class NoStoreMiddleware:
    """Every answer from a view is `no-store` unless the view chose its own caching: pages
    and JSON carry health data, and a shared computer's back button or a proxy must not
    show them to the next person. The service worker's offline copies are made by the
    Cache API, which this header does not touch. Static files are answered before this
    (WhiteNoise) with their own cache time."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
        return response
