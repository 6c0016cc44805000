// Keep the screen on during a session (Screen Wake Lock API), where the browser has it.
// The browser lets go of the lock whenever the page is hidden, so take it again on return.

export function keepScreenAwake() {
  if (!("wakeLock" in navigator)) return () => {};
  let lock = null;
  let wanted = true;

  async function take() {
    if (!wanted || document.visibilityState !== "visible" || (lock && !lock.released)) return;
    try {
      lock = await navigator.wakeLock.request("screen");
    } catch {
      // Refused (battery saver, for one): the session works anyway, the screen may dim.
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
