// "Copy the link" beside a read-only link box: puts the box's text on the clipboard and says
// so. Without this script (or a clipboard), the box can still be selected and copied by hand.
for (const button of document.querySelectorAll("[data-copy]")) {
  const box = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.copyStatus);
  if (!box || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(box.value);
      status.textContent = button.dataset.copied;
    } catch {
      box.select();
      status.textContent = button.dataset.copyFailed;
    }
  });
}
