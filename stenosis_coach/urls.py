from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("stenosis_coach.web.urls")),
    path("", include("stenosis_coach.patients.urls")),
    path("", include("stenosis_coach.practice.urls")),
    path("", include("stenosis_coach.outcomes.urls")),
    path("", include("stenosis_coach.exports.urls")),
    path("", include("stenosis_coach.figures.urls")),
    path("admin/", admin.site.urls),
]
