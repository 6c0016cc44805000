"""The Content-Security-Policy (django-csp 4's CONTENT_SECURITY_POLICY setting).

Strict: scripts, styles, pictures, fetches and the service worker come from our own origin
only. No page has an inline script or style attribute; a template that ever needs an inline
script gives it `nonce="{{ request.csp_nonce }}"` (a new nonce per response, in the header
only when a page uses it). The one inline style allowed is the exercise drawings' own
stylesheet, inside each inline SVG (illustrations/style.py), allowed by its hash: it is the
same text in every drawing, so one hash covers them all.
"""

from __future__ import annotations

import base64
import hashlib

from csp.constants import NONCE, NONE, SELF

from stenosis_coach.illustrations.style import stylesheet


def style_hash(css: str) -> str:
    """The CSP source that allows one inline <style> with exactly this text."""
    digest = hashlib.sha256(css.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy() -> dict[str, dict[str, list[str]]]:
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, NONCE],
            # No event-handler attributes (onclick=…) and no style attributes at all.
            "script-src-attr": [NONE],
            "style-src": [SELF, style_hash(stylesheet())],
            "style-src-attr": [NONE],
            # QR codes and charts are inline SVG; data: for pictures a script may make.
            "img-src": [SELF, "data:"],
            "font-src": [SELF],
            # The player's plan and uploads, the outbox, push set-up: our own API only.
            "connect-src": [SELF],
            "media-src": [SELF],
            # The service worker is /sw.js, from our own origin.
            "worker-src": [SELF],
            "manifest-src": [SELF],
            "object-src": [NONE],
            "frame-src": [NONE],
            "frame-ancestors": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF],
        }
    }
