"""Push-notification endpoints (subscribe, unsubscribe, the app's public key, a test)."""

from django.urls import path

from . import views_push

urlpatterns: list = [
    path("reminders/push/key", views_push.public_key, name="push-key"),
    path("reminders/push/subscribe", views_push.subscribe, name="push-subscribe"),
    path("reminders/push/unsubscribe", views_push.unsubscribe, name="push-unsubscribe"),
    path("reminders/push/test", views_push.test_push, name="push-test"),
]
