from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from stenosis_coach.programme import Kind, dose_label, load_catalogue


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
    return render(request, "web/home.html", {"exercises": exercises})
