import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from stenosis_coach.illustrations import drawing_ids, keyframe_svgs
from stenosis_coach.programme import Kind, dose_label, load_catalogue

STATIC_DIR = Path(__file__).resolve().parent / "static"
SERVICE_WORKER = "web/sw.js"
# The app shell the service worker keeps, so a whole session can run with no network.
SHELL_FILES = (
    "web/site.css",
    "web/player.css",
    "web/offline.js",
    "web/outbox.js",
    "web/kept.js",
    "web/player.js",
    "web/pictures.js",
    "web/timeline.js",
    "web/clock.js",
    "web/speech.js",
    "web/beeps.js",
    "web/wake.js",
    "web/screens.js",
    "web/fit.js",
    "web/icon.svg",
    "web/icon-192.png",
    "web/icon-512.png",
    "figures/figure.js",
)
SHELL_PAGES = ("today", "session")
THEME_COLOUR = "#1d5c8f"
# The front page's pictures: exercise and keyframe, each drawn as on /figures/.
FRONT_PICTURES = (("back-flexion", "end"), ("childs-pose", "end"), ("pelvic-tilt", "end"))
BACKGROUND_COLOUR = "#fdfcf8"


def home(request: HttpRequest) -> HttpResponse:
    """The front page: what Stenosis Coach is, and the five exercises in plain words."""
    catalogue = load_catalogue()
    locale = get_language() or "en"
    exercises = [
        {
            "id": exercise.id,
            "text": exercise.text(locale),
            "is_stretch": exercise.kind is Kind.STRETCH,
            "start": dose_label(exercise.start, catalogue, locale),
            "target": dose_label(exercise.target, catalogue, locale),
            "locked": bool(exercise.requires),
        }
        for exercise in catalogue.exercises
    ]
    pictures = [
        {
            "name": catalogue.get(exercise_id).text(locale).name,
            # Made by our own code from the catalogue, its text escaped (as in the gallery).
            "svg": mark_safe(keyframe_svgs(exercise_id, locale)[keyframe]),
        }
        for exercise_id, keyframe in FRONT_PICTURES
    ]
    return render(request, "web/home.html", {"exercises": exercises, "pictures": pictures})


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest, so the app can be added to the home screen and open full screen."""
    icon_192, icon_512 = static("web/icon-192.png"), static("web/icon-512.png")
    data = {
        "id": reverse("today"),
        "name": "Stenosis Coach",
        "short_name": "Stenosis",
        "description": _("Exercises to do at home for leg pain from a narrow spine."),
        "lang": get_language() or "en",
        "start_url": reverse("today"),
        "scope": reverse("home"),
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        # The PNGs keep their picture inside the middle 80 %, so one file serves as a plain
        # icon and as a maskable one (cut to a circle or a rounded square by the phone).
        "icons": [
            {"src": static("web/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": icon_192, "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": icon_512, "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": icon_192, "sizes": "192x192", "type": "image/png", "purpose": "maskable"},
            {"src": icon_512, "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "max-age=86400"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the root so that it may control every page.

    What to keep offline is written in front of the script, with a version made from the
    files' contents: any change to them changes this script, and the browser then installs
    the new worker, which replaces the old caches.
    """
    shell = {
        "version": shell_version(file_stamps()),
        "files": [static(name) for name in SHELL_FILES],
        "pages": [reverse(name) for name in SHELL_PAGES],
        "plan": reverse("api-plan"),
        "stamp": reverse("api-offline-stamp"),
        "illustrations": [
            reverse("api-illustration", args=[picture_id]) for picture_id in drawing_ids()
        ],
        "icon": static("web/icon-192.png"),  # a reminder's
        "manifest": reverse("manifest"),
        "logout": reverse("logout"),
        "offline": reverse("offline"),
    }
    source = (STATIC_DIR / SERVICE_WORKER).read_text(encoding="utf-8")
    body = f"const SHELL = {json.dumps(shell)};\n{source}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache, no-store, must-revalidate"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """ "You are offline": the service worker keeps this page and shows it when a page cannot
    be reached with no network. In the reader's language, with nothing of the account in it,
    so it can be kept after log-out."""
    response = render(request, "web/offline.html")
    response["Cache-Control"] = "no-cache"
    return response


def file_stamps() -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of each shell file: cheap to read on every request."""
    stamps = []
    for name in (SERVICE_WORKER, *SHELL_FILES):
        stat = Path(static_path(name)).stat()
        stamps.append((name, stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)


def static_path(name: str) -> str:
    """Where a static file is on disk, in whichever app it lives."""
    found = finders.find(name)
    if not isinstance(found, str):
        raise FileNotFoundError(name)
    return found


@lru_cache(maxsize=4)
def shell_version(stamps: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _size, _mtime in stamps:
        digest.update(name.encode())
        digest.update(Path(static_path(name)).read_bytes())
    return digest.hexdigest()[:16]


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a stale or missing CSRF token (often a page left open for hours):
    our own page, in the reader's language, with a way on (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)
