// Keep the screen on during a session (Screen Wake Lock API), where the browser has it.
// The browser lets go of the lock whenever the page is hidden, so take it again on return.
//
// onRefused(): called when the screen cannot be kept on (no Wake Lock API, or the request
// refused: battery saver, for one), so the page can say so; onKept(): once a lock is held
// again after that. The session keeps time either way.

export function keepScreenAwake({ onRefused = () => {}, onKept = () => {} } = {}) {
  if (!("wakeLock" in navigator) || typeof navigator.wakeLock?.request !== "function") {
    onRefused();
    return () => {};
  }
  let lock = null;
  let wanted = true;

  async function take() {
    if (!wanted || document.visibilityState !== "visible" || (lock && !lock.released)) return;
    try {
      lock = await navigator.wakeLock.request("screen");
      // Let go by the browser while the page is on show (battery saver turned on): ask
      // again, and say so if it is refused now.
      lock.addEventListener?.("release", () => {
        if (wanted && document.visibilityState === "visible") take();
      });
      if (wanted) onKept();
    } catch {
      // Refused: the session works anyway, the screen may go dark.
      if (wanted) onRefused();
    }
  }

  function onVisibilityChange() {
    if (document.visibilityState === "visible") take();
  }

  document.addEventListener("visibilitychange", onVisibilityChange);
  take();
  return function letScreenSleep() {
    wanted = false;
    document.removeEventListener("visibilitychange", onVisibilityChange);
    lock?.release().catch(() => {});
    lock = null;
  };
}
