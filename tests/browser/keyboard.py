"""Moving through a page with the keyboard alone, as a patient who cannot use a mouse or a
touch screen would: Tab to a control by its name, arrow keys inside a group of choices."""

from __future__ import annotations

from playwright.sync_api import Page

# The accessible name of whatever has focus: its label, its aria-label, or its own text.
FOCUSED_NAME = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return "";
    if (element.labels && element.labels.length) return element.labels[0].textContent.trim();
    return (element.getAttribute("aria-label") || element.textContent || "").trim();
}"""
FOCUSED_GROUP = """() => {
    const legend = document.activeElement?.closest("fieldset")?.querySelector("legend");
    return legend ? legend.textContent.trim() : "";
}"""
# Far more presses than any of our pages has stops: a control that is never reached fails.
MOST_TABS = 80


def focused_name(page: Page) -> str:
    return " ".join(str(page.evaluate(FOCUSED_NAME)).split())


def focused_group(page: Page) -> str:
    return " ".join(str(page.evaluate(FOCUSED_GROUP)).split())


def tab_to(page: Page, name: str) -> None:
    """Press Tab until the control called `name` has focus."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if focused_name(page) == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def press(page: Page, name: str) -> None:
    """Tab to a button or link and press Enter on it."""
    tab_to(page, name)
    page.keyboard.press("Enter")


def type_into(page: Page, name: str, text: str) -> None:
    tab_to(page, name)
    page.keyboard.type(text)


def choose(page: Page, group: str, option: str) -> None:
    """Tab into a group of radio buttons, then arrow to the option (arrows also select)."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if focused_group(page) == group:
            break
    else:
        raise AssertionError(f"Tab never reached the question {group!r}")
    for _ in range(MOST_TABS):
        if focused_name(page) == option:
            page.keyboard.press("Space")  # the first option is focused, not yet chosen
            return
        page.keyboard.press("ArrowDown")
        if focused_group(page) != group:
            break
    raise AssertionError(f"{option!r} is not a choice in {group!r}")
