"""Every browser test runs under the app's Content-Security-Policy and fails on any violation
(conftest's no_csp_violations). Each browser context, however a test makes it, reports to
`violations`: a page's `securitypolicyviolation` events (Playwright's init scripts run
whatever the page's policy says, so the listener itself is never blocked), and Chromium's own
console lines about the policy, which also come from the service worker."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, BrowserType, ConsoleMessage

violations: list[str] = []

LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ` +
      `${event.documentURI} (${event.sourceFile || "?"}:${event.lineNumber})`,
  );
});
"""


def report(violation: str) -> None:
    violations.append(violation)


def on_console(message: ConsoleMessage) -> None:
    # (A Permissions-Policy the browser cannot read is reported the same way: a feature
    # name it does not know, say.)
    if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
        report(message.text)


def watch(context: BrowserContext) -> BrowserContext:
    context.expose_function("__reportCspViolation", report)
    context.add_init_script(LISTENER)
    context.on("console", on_console)
    return context


def watching(make_context: Callable[..., BrowserContext]) -> Callable[..., BrowserContext]:
    @functools.wraps(make_context)
    def make_watched(*args: Any, **kwargs: Any) -> BrowserContext:
        return watch(make_context(*args, **kwargs))

    return make_watched


@contextmanager
def every_context_watched(patch: pytest.MonkeyPatch) -> Iterator[None]:
    """Contexts made by the fixtures and by tests themselves (a desk-sized one, a persistent
    profile with large text) are all watched."""
    patch.setattr(Browser, "new_context", watching(Browser.new_context))
    patch.setattr(
        BrowserType, "launch_persistent_context", watching(BrowserType.launch_persistent_context)
    )
    yield
