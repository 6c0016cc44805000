"""Logging in: Django's view, with our form, answering 400 to a wrong email or password
(as every other form does to answers it cannot take)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from .forms import EmailLoginForm


class LogInView(auth_views.LoginView):
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: EmailLoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        response.status_code = 400
        return response
