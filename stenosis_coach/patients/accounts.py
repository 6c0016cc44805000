"""Logging in: Django's view, with our form, answering 400 to a wrong email or password
(as every other form does to answers it cannot take). Clinic staff land on their patient
list, patients on Today."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse

from stenosis_coach.clinic.models import StaffMember

from .forms import EmailLoginForm


class LogInView(auth_views.LoginView):
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Where to go when no `next` was asked for."""
        if StaffMember.objects.filter(user=self.request.user, active=True).exists():
            return reverse("caseload")
        return super().get_default_redirect_url()

    def form_invalid(self, form: EmailLoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        response.status_code = 400
        return response
