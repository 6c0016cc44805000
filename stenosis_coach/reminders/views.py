"""The reminder settings page and the calendar feed.

/settings/reminders/         the times, days and e-mail (one form), with the calendar link
                             and this phone's notifications (push_section.html)
/settings/reminders/calendar make, renew or stop the private calendar link
/reminders/calendar/<token>.ics  the feed itself: no log-in, the token is its key
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stenosis_coach.access import patient_view
from stenosis_coach.patients.models import Patient

from . import actions
from .calendar import calendar_for, feed_url
from .forms import ReminderForm
from .selectors import plan_by_token, plan_of, schedule_of
from .words import day_names, reminders_now


@never_cache
@require_http_methods(["GET", "POST"])
@patient_view(screened=False)
def reminder_settings(request: HttpRequest, patient: Patient) -> HttpResponse:
    plan = plan_of(patient)
    schedule = schedule_of(patient, plan)
    initial = {"days": [str(d) for d in schedule.weekdays], "by_email": on_off(plan.by_email)}
    form = ReminderForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        times=schedule.times,
        has_email=bool(patient.user.email),
    )
    if request.method == "POST" and form.is_valid():
        actions.do_save_reminders(
            patient,
            times=form.chosen_times(),
            weekdays=form.cleaned_data["days"],
            by_email=form.cleaned_data["by_email"],
        )
        messages.success(request, _("Your reminders are saved."))
        return redirect("reminder-settings")
    context = {
        "form": form,
        "plan": plan,
        "now": reminders_now(plan, schedule),
        "prescribed_days": day_names(schedule.prescribed_weekdays),
        "calendar_url": feed_url(plan) if plan.calendar_token else "",
        "push_devices": list(patient.push_subscriptions.order_by("created_at")),
        "push_on": plan.by_push,
    }
    if context["calendar_url"]:
        context["webcal_url"] = "webcal://" + context["calendar_url"].split("://", 1)[1]
    return render(request, "reminders/settings.html", context, status=400 if form.errors else 200)


def on_off(value: bool) -> str:
    return "on" if value else "off"


@require_POST
@patient_view(screened=False)
def calendar_link(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Make a calendar link (kept if there is one: a form sent twice makes one link), make a
    new one in place of the old, or stop it."""
    what = request.POST.get("do")
    if (what == "make" and not plan_of(patient).calendar_token) or what == "new":
        actions.do_make_calendar_link(patient)
        messages.success(request, _("Your calendar link is ready. Add it to your calendar below."))
    elif what == "stop":
        actions.do_stop_calendar_link(patient)
        messages.success(request, _("Your calendar link is stopped. It shows nothing now."))
    elif what != "make":
        return HttpResponse(_("Please use the buttons on the reminders page."), status=400)
    return redirect(reverse("reminder-settings") + "#calendar")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar app's copy: iCalendar, for whoever has the link."""
    plan = plan_by_token(token)
    if plan is None:
        raise Http404("No such calendar")
    response = HttpResponse(
        calendar_for(plan).to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="exercise-time.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response
