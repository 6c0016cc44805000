from django.contrib.auth import views as auth_views
from django.urls import path

from . import accounts, language, preferences, views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup-sent"),
    path("language/", language.switch_language, name="set-language"),
    path("login/", accounts.LogInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        views.password_reset,
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.NewPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("onboarding/", views.onboarding, name="onboarding"),
    path("onboarding/<slug:step>/", views.onboarding_step, name="onboarding-step"),
    path("check/", views.weekly_check, name="weekly-check"),
    path("settings/", preferences.settings_page, name="settings"),
    path("settings/time-zone/", preferences.browser_zone, name="time-zone"),
    path("check/result/", views.screening_result, name="screening-result"),
    path("urgent/", views.urgent, name="urgent"),
]
