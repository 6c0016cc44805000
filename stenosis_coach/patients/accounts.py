"""Logging in: Django's view, with our form, answering 400 to a wrong email or password
(as every other form does to answers it cannot take). Clinic staff land on their patient
list, patients on Today. Setting a new password from an e-mailed link ends the account's
other sessions and lifts a log-in lockout."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse, reverse_lazy

from stenosis_coach.clinic.models import StaffMember

from .forms import EmailLoginForm, NewPasswordForm
from .lockout import lift_lockout
from .sessions import end_sessions


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


class NewPasswordView(auth_views.PasswordResetConfirmView):
    """The e-mailed link's page (password reset, and a new staff member's first password)."""

    form_class = NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        # The e-mail proved who this is: other devices are logged out, and the lock is lifted.
        end_sessions(form.user)
        lift_lockout(form.user.get_username())
        return response
