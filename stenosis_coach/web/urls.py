from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    # From the root, so that the worker's scope is the whole site.
    path("sw.js", views.service_worker, name="service-worker"),
    # What the service worker shows for a page it cannot reach offline.
    path("offline/", views.offline, name="offline"),
]
