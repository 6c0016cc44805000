from django.urls import path

from stenosis_coach.web.views import home

urlpatterns = [path("my-data/", home, name="my-data")]
