from django.urls import path

from stenosis_coach.web.views import home

urlpatterns = [
    path("progress/", home, name="progress"),
    path("progress/check/", home, name="function-check"),
    path("walk/", home, name="walking-test"),
    path("history/", home, name="history"),
]
