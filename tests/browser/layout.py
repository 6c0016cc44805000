"""What axe-core does not measure, measured in the page (WCAG 2.2 AA, and our own rules for
older hands and eyes): text at least 18 px, every target at least 48 x 48 px, a visible
focus ring on every stop of the Tab key, and no sideways scrolling when the page is zoomed
to 200 % or squeezed to 320 px wide."""

from __future__ import annotations

from playwright.sync_api import Page

MIN_TEXT_PX = 18
MIN_TARGET_PX = 48
MIN_FOCUS_RING_PX = 2
# A 1280-px desktop screen zoomed to 200 % is 640 CSS px wide; 320 px is WCAG's reflow width
# (the same screen at 400 %, or a small phone).
ZOOMED_WIDTHS = (640, 320)
MOST_TAB_STOPS = 200

SMALL_TEXT = """(minimum) => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        if (!node.textContent.trim() || !element.checkVisibility()) continue;
        const box = element.getBoundingClientRect();
        if (box.width <= 1 || box.height <= 1) continue;  // visually hidden, for screen readers
        const size = parseFloat(getComputedStyle(element).fontSize);
        if (size < minimum) found.push(`${size}px: ${node.textContent.trim().slice(0, 40)}`);
    }
    return found;
}"""

# The target of a radio button or a tick box is its whole label, which holds it.
SMALL_TARGETS = """(minimum) => {
    const controls = "a[href], button, input:not([type=hidden]), select, textarea, summary, "
        + "[role=button], [tabindex]:not([tabindex='-1'])";
    const found = [];
    for (const control of document.querySelectorAll(controls)) {
        if (!control.checkVisibility()) continue;
        const target = control.closest("label") || control;
        const box = target.getBoundingClientRect();
        if (box.right < 0 || box.bottom < 0) continue;  // off screen until focused (skip link)
        if (box.width < minimum || box.height < minimum) {
            const name = (control.labels?.[0] || control).textContent.trim().slice(0, 40);
            found.push(`${control.tagName.toLowerCase()} "${name}": `
                + `${Math.round(box.width)}x${Math.round(box.height)}`);
        }
    }
    return found;
}"""

# Each element once: a second visit means the Tab key has gone round the page.
FOCUS_RING = """() => {
    const element = document.activeElement;
    window.tabStops ??= new WeakSet();
    if (!element || element === document.body || window.tabStops.has(element)) return null;
    window.tabStops.add(element);
    const style = getComputedStyle(element);
    const outline = style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth);
    const box = element.getBoundingClientRect();
    return {
        name: (element.labels?.[0] || element).textContent.trim().slice(0, 40)
            || element.tagName.toLowerCase(),
        ring: Math.max(outline, style.boxShadow === "none" ? 0 : 99),
    };
}"""

SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def small_text(page: Page) -> list[str]:
    return list(page.evaluate(SMALL_TEXT, MIN_TEXT_PX))


def small_targets(page: Page) -> list[str]:
    return list(page.evaluate(SMALL_TARGETS, MIN_TARGET_PX))


def focus_without_ring(page: Page) -> list[str]:
    """Tab through the whole page once: each stop must show a ring. The Tab key is the
    check, because browsers show focus rings for the keyboard only."""
    page.evaluate("document.activeElement?.blur(); window.tabStops = new WeakSet()")
    found: list[str] = []
    for _ in range(MOST_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_RING)
        if stop is None:
            break
        if stop["ring"] < MIN_FOCUS_RING_PX:
            found.append(f"{stop['name']}: focus ring {stop['ring']}px")
    page.evaluate("document.activeElement?.blur()")
    return found


def sideways_when_zoomed(page: Page) -> list[str]:
    """Zoom changes the width in CSS pixels, so a narrower window stands in for it."""
    viewport = page.viewport_size
    assert viewport is not None
    found = []
    try:
        for width in ZOOMED_WIDTHS:
            page.set_viewport_size({"width": width, "height": viewport["height"]})
            overflow = page.evaluate(SIDEWAYS)
            if overflow > 0:
                found.append(f"at {width} px wide it scrolls sideways by {overflow}px")
    finally:
        page.set_viewport_size(viewport)
    return found


def layout_problems(page: Page) -> list[str]:
    problems = {
        f"text under {MIN_TEXT_PX}px": small_text(page),
        f"targets under {MIN_TARGET_PX}x{MIN_TARGET_PX}px": small_targets(page),
        "no visible focus": focus_without_ring(page),
        "zoomed": sideways_when_zoomed(page),
    }
    return [f"{kind}: {listed(found)}" for kind, found in problems.items() if found]


def listed(found: list[str], most: int = 8) -> str:
    more = f"; and {len(found) - most} more" if len(found) > most else ""
    return "; ".join(found[:most]) + more
