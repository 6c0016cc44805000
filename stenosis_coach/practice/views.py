"""The patient's daily pages: Today and the guided session player."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from stenosis_coach.access import patient_view
from stenosis_coach.patients.models import Patient
from stenosis_coach.patients.views import screening_due
from stenosis_coach.programme.safety import urgent_texts

from .api import OWNER_HEADER, outbox_owner
from .today import today_for


@patient_view()
def today(request: HttpRequest, patient: Patient) -> HttpResponse:
    texts = player_texts()
    sync_texts = {key: texts[key] for key in SYNC_TEXT_KEYS}
    context = {
        "view": today_for(patient),
        "screening_due": screening_due(patient),
        "sync_texts": sync_texts,
        "owner": outbox_owner(request.user),
    }
    return render(request, "practice/today.html", context)


@patient_view()
def session(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The guided session player. The weekly safety check comes first when it is due.

    The page is only a frame: the player fetches the timeline from /api/plan/, so the service
    worker can keep this page for offline use. Every word the player shows or says comes
    from here or from the plan, never from the script.
    """
    if screening_due(patient):
        return redirect("weekly-check")
    context = {
        "texts": player_texts(),
        "player": {
            "plan_url": reverse("api-plan"),
            "upload_url": reverse("api-sessions"),
            "today_url": reverse("today"),
            "check_url": reverse("weekly-check"),
            "owner": outbox_owner(request.user),
            "owner_header": OWNER_HEADER,
        },
    }
    return render(request, "practice/session.html", context)


# The outbox's words on Today, where a session saved offline is sent later, and one the
# server refused is shown with its reason (offline.js, kept.js).
SYNC_TEXT_KEYS = (
    "saved_offline",
    "log_in_to_send",
    "sending",
    "sent",
    "waiting_later",
    "refused_some",
    "kept_session",
    "kept_pain",
    "kept_why",
    "kept_no_reason",
    "kept_advice",
    "try_again",
    "save_copy",
    "copy_saved",
    "remove_kept",
)


def player_texts() -> dict[str, str]:
    """The player's words. {braces} are filled in by the script."""
    return {
        "loading": _("One moment. We are getting your plan ready."),
        "needs_javascript": _("This page needs JavaScript to guide you."),
        "load_failed": _("We could not load your exercises. Check that you are online."),
        "try_again": _("Try again"),
        "nothing_to_do": _("All your exercises are on hold. Please talk to your therapist."),
        "back_to_today": _("Back to Today"),
        "before_title": _("Before you start"),
        "after_title": _("You are done."),
        "leg_pain_question": _("How bad is the pain in your leg right now?"),
        "back_pain_question": _("How bad is the pain in your back right now?"),
        "pain_help": _("0 means no pain. 10 means the worst pain you can imagine."),
        "pain_none": _("No pain"),
        "pain_worst": _("Worst pain"),
        "gentle_title": _("Take it easy today"),
        "gentle_choice": _("Do the gentle stretches only"),
        "normal_choice": _("Do all of my exercises"),
        # Leg pain 8 or more before the session: the words come from the plan (rest_advice).
        "rest_title": _("Rest today"),
        "rest_choice": _("Rest today"),
        "rested_title": _("Rest well today"),
        "rested_text": _(
            "We keep your pain scores for your therapist. Rest in a way that eases the pain. "
            "If it has not settled by tomorrow morning, contact your therapist."
        ),
        "exercise_of": _("Exercise {number} of {count}"),
        "rep_of": _("Rep {rep} of {reps}"),
        "set_of": _("Set {set} of {sets}"),
        "seconds": _("seconds"),
        "timer_label": _("Time left"),
        "seconds_left": _("{seconds} seconds left."),
        "step_with_seconds": _("{text} {seconds} seconds."),
        "next": _("Next: {text}"),
        "next_exercise": _("Next: {name}"),
        "next_question": _("Next: a short question"),
        # A change of position, and the screens before and after the exercises, wait for this.
        "ready": _("I'm ready"),
        "ready_hint": _("Tap anywhere here when you are ready."),
        "ready_reminder": _("Take your time. Tap the screen when you are ready."),
        "more_time": _("More time"),
        "more_time_given": _("Ten more seconds."),
        "pause": _("Pause"),
        "resume": _("Go on"),
        "paused_title": _("Paused"),
        "paused_text": _("Take your time. Tap Go on when you are ready."),
        "end_now": _("Stop for today"),
        # The browser will not keep the screen on during the session (no Wake Lock).
        "screen_may_sleep": _("Your screen may go dark. Tap it now and then."),
        "skip": _("Skip this exercise"),
        "skip_title": _("Skip this exercise?"),
        "skip_yes": _("Yes, skip it"),
        "skip_no": _("No, go on"),
        "leave": _("Leave"),
        "leave_label": _("Leave the session"),
        "leave_title": _("Leave the session?"),
        "leave_text": _(
            "If you leave now, this session is not kept. To keep it, tap Pause and then "
            "Stop for today."
        ),
        "leave_yes": _("Yes, leave"),
        "leave_no": _("No, stay"),
        "hurt": _("It hurts — stop"),
        "hurt_title": _("We stopped this exercise. What happened?"),
        "hurt_leg": _("The pain in my leg got worse"),
        "hurt_back": _("The pain in my back got worse"),
        "hurt_other": _("Something else"),
        "hurt_advice_title": _("Rest now in a way that feels good."),
        "hurt_advice": _(
            "Lie or sit in a way that eases the pain. It should settle. If it has not settled "
            "by tomorrow morning, contact your therapist."
        ),
        "hurt_choice": _("Do you want to stop for today, or go on with the next exercise?"),
        "go_on_next": _("Go on with the next exercise"),
        "numbness_context": _("One last question"),
        "numbness_title": _(
            "Since you started today, do your legs feel numb, tingly or weak in a new way?"
        ),
        "numbness_help": _("This is not about your usual leg pain."),
        "hold_title": _("Your exercises are on hold"),
        "hold_text": _(
            "New numbness or weakness needs a check first. Please answer the safety questions "
            "before your next session."
        ),
        "hold_check": _("Answer the safety questions now"),
        "yes": _("Yes"),
        "no": _("No"),
        "sound_off": _("Sound off"),
        "sound_on": _("Sound on"),
        "saving": _("Saving your session."),
        "summary_title": _("Well done"),
        "summary_stopped": _("You stopped early today"),
        "summary_not_saved": _("Your session is not saved"),
        "summary_rose": _("Your leg pain went up during the session."),
        "summary_hurt": _("One of the exercises hurt you today."),
        "pain_advice": _(
            "Rest in a way that eases the pain. It should settle by tomorrow morning. If it "
            "does not, contact your therapist."
        ),
        "summary_done": _("What you did today"),
        "result_done": _("Done."),
        "result_worse": _("Done. It made the pain in your leg worse."),
        "result_hurt": _("Stopped because it hurt."),
        "result_skipped": _("Skipped."),
        "next_time": _("Next time"),
        "next_time_later": _("We will show what changes next time once your session is sent."),
        "saved_offline": _("Saved on this device. It will be sent when you are back online."),
        "log_in_to_send": _("Saved on this device. Please log in again to send it."),
        "sending": _("Sending your session."),
        "sent": _("Sent."),
        "not_saved": _("This session could not be saved. Please tell your therapist."),
        # Kept on the device for a while: the server is busy or down.
        "waiting_later": _("Saved on this device. We will send it a little later."),
        # The server refused it (it would say the same each time): kept, with the reason.
        "refused_this": _("We could not send this session. It is still on this device."),
        "refused_some": _("We could not send a session. It is still on this device."),
        "kept_session": _("Your session from {date}"),
        "kept_pain": _("Your pain scores from {date}"),
        "kept_why": _("Why: {reason}"),
        "kept_no_reason": _("We do not know why."),
        "kept_advice": _("If Try again does not work, save a copy for your therapist."),
        "save_copy": _("Save a copy"),
        "copy_saved": _("Your copy is in your downloads."),
        "copy_advice": _("Save a copy and give it to your therapist."),
        "remove_kept": _("I have my copy. Remove it from this device."),
        "removed": _("Removed from this device. Please give your copy to your therapist."),
        "urgent": _("Urgent help"),
        "urgent_back": _("Back to my session"),
        **urgent_player_texts(),
    }


def urgent_player_texts() -> dict[str, str]:
    """The urgent signs, as on the urgent page (safety.urgent_texts): the player shows them
    offline. urgent_now_<n> and urgent_today_<n> are the signs, in order."""
    urgent = urgent_texts(get_language() or settings.LANGUAGE_CODE, settings.EMERGENCY_PHONE)
    texts = {
        "urgent_title": urgent.title,
        "urgent_intro": urgent.intro,
        "urgent_now_title": urgent.emergency_title,
        "urgent_call": urgent.call,
        "urgent_today_title": urgent.same_day_title,
        "urgent_usual": urgent.usual,
    }
    texts |= {f"urgent_now_{n}": sign for n, sign in enumerate(urgent.emergency_points, 1)}
    texts |= {f"urgent_today_{n}": sign for n, sign in enumerate(urgent.same_day_points, 1)}
    return texts
