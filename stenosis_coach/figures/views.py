from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from stenosis_coach.illustrations import animation_data, drawing_ids
from stenosis_coach.programme.catalogue import DEFAULT_LOCALE

from .gallery import gallery_entries

# The pictures change only with a new release and hold no one's data, but their words follow
# the language of whoever asks (browser, cookie or saved choice): cached by that browser only.
CACHE_SECONDS = 60 * 60


@require_safe
def gallery(request: HttpRequest) -> HttpResponse:
    """Every keyframe of every exercise, and every how-to picture, for anyone (no log-in):
    patients, therapists and whoever checks the drawings."""
    entries = gallery_entries(get_language() or DEFAULT_LOCALE)
    return render(request, "figures/gallery.html", {"exercises": entries})


@require_safe
def illustration(request: HttpRequest, exercise_id: str) -> JsonResponse:
    """The figure and its frames for the player (see stenosis_coach.illustrations): an
    exercise's, or a how-to picture's ("get-down", "get-up", "rest-lying", "rest-sitting")."""
    if exercise_id not in drawing_ids():
        return JsonResponse({"error": "There is no picture for this exercise."}, status=404)
    response = JsonResponse(animation_data(exercise_id, get_language() or DEFAULT_LOCALE))
    patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response
