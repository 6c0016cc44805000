// A wide table scrolls sideways in its own box (.table-wrap). While it does, the box is a
// named region that the Tab key reaches, so the arrow keys can scroll it without a mouse.
const headingBefore = (box) => {
  for (let node = box; node; node = node.parentElement) {
    for (let sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
      if (/^H[1-6]$/.test(sibling.tagName)) return sibling;
    }
  }
  return null;
};

const labelFor = (box) => box.querySelector("caption")
  || box.closest("details")?.querySelector("summary")
  || headingBefore(box)
  || document.querySelector("h1");

// A section named by the same heading is already the region: a second one would repeat it.
const namesASection = (label, box) => Boolean(label?.id)
  && box.parentElement.closest(`[aria-labelledby~="${label.id}"]`) !== null;

const reachWhenScrolling = (box) => {
  if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
  else if (!box.dataset.alwaysFocusable) box.removeAttribute("tabindex");
};

for (const box of document.querySelectorAll(".table-wrap")) {
  if (box.hasAttribute("tabindex")) box.dataset.alwaysFocusable = "1";
  const label = labelFor(box);
  if (!box.hasAttribute("role") && label && !namesASection(label, box)) {
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", label.textContent.trim());
  }
  reachWhenScrolling(box);
  new ResizeObserver(() => reachWhenScrolling(box)).observe(box);
}
