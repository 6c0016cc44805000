// "See the numbers" on Progress (outcomes/chart.html with lazy_numbers): each chart's
// tables come from the server the first time they are opened, so the page stays small
// however long the history (two years of daily sessions would be hundreds of rows). Until
// then, and whenever the fetch fails, the link inside opens them on a page of their own.

for (const details of document.querySelectorAll("details[data-numbers]")) {
  const link = details.querySelector(".numbers-body").innerHTML;
  details.addEventListener("toggle", () => {
    if (details.open && !details.dataset.state) load(details, link);
  });
}

async function load(details, link) {
  const body = details.querySelector(".numbers-body");
  details.dataset.state = "loading";
  body.setAttribute("aria-busy", "true");
  try {
    const url = new URL(details.dataset.numbers, location.href);
    url.searchParams.set("part", "tables");
    const response = await fetch(url, { credentials: "same-origin" });
    // A redirect is to the log-in page, not the numbers.
    if (!response.ok || response.redirected) throw new Error(`HTTP ${response.status}`);
    body.innerHTML = await response.text();
    details.dataset.state = "loaded";
  } catch {
    body.innerHTML = link;
    const note = document.createElement("p");
    note.textContent = details.dataset.failed;
    body.prepend(note);
    delete details.dataset.state; // closing and opening it again tries again
  } finally {
    body.removeAttribute("aria-busy");
  }
}
