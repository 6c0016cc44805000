from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Values every page needs. The language switch names each language in itself, so
    its names are never translated (Django's get_available_languages would)."""
    return {"open_signup": settings.OPEN_SIGNUP, "language_choices": settings.LANGUAGES}
