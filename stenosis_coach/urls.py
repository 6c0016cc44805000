from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("stenosis_coach.web.urls")),
    path("admin/", admin.site.urls),
]
