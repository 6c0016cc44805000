from django.contrib import admin
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
