from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
]
urlpatterns += [
    path("manifest.webmanifest", views.home, name="manifest"),
]
