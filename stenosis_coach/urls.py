import os

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from stenosis_coach.clinic.views_invitations import patient_urlpatterns as joining_a_clinic

urlpatterns = [
    path("", include("stenosis_coach.web.urls")),
    path("", include("stenosis_coach.patients.urls")),
    path("", include("stenosis_coach.practice.urls")),
    path("", include("stenosis_coach.api.urls")),
    path("", include("stenosis_coach.outcomes.urls")),
    path("", include("stenosis_coach.exports.urls")),
    path("", include("stenosis_coach.fhir.urls")),
    path("", include("stenosis_coach.reminders.urls")),
    path("", include("stenosis_coach.figures.urls")),
    path("", include(joining_a_clinic)),
    path("clinic/", include("stenosis_coach.clinic.urls")),
    path("admin/", admin.site.urls),
]

# bench/load.py only: with BENCH_BARE_VIEW=1 in the server's environment, /bench/bare/ is a
# view that does nothing but answer, for a logged-in user, through the same middleware as
# every page: what the pages are compared with. Never on otherwise.
if os.environ.get("BENCH_BARE_VIEW") == "1":

    @login_required
    def bare_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok", content_type="text/plain")

    urlpatterns.append(path("bench/bare/", bare_view))
