// Warns a signed-in user before the idle timeout signs them out, and lets them stay signed in.
// The server is the authority: before warning, ask it how long is really left (another tab
// may have kept the session alive).

const STATUS_URL = "/session/status/";

async function secondsLeft() {
  const response = await fetch(STATUS_URL, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) return 0;
  return (await response.json()).seconds_left;
}

export function startSessionWarning(panel) {
  if (!panel) return;
  const warnBefore = Number(panel.dataset.warningSeconds);
  const form = panel.querySelector("form");
  const countdown = panel.querySelector("[data-countdown]");
  let timer;

  const schedule = (left) => {
    clearTimeout(timer);
    if (left <= 0) {
      window.location.reload();
      return;
    }
    if (left > warnBefore) {
      panel.hidden = true;
      timer = setTimeout(check, (left - warnBefore) * 1000);
    } else {
      countdown.textContent = Math.ceil(left / 60) === 1 ? "1 minute" : `${Math.ceil(left / 60)} minutes`;
      if (panel.hidden) {
        panel.hidden = false;
        panel.querySelector("button").focus();
      }
      timer = setTimeout(check, Math.min(left, 30) * 1000);
    }
  };

  const check = async () => {
    try {
      schedule(await secondsLeft());
    } catch {
      schedule(warnBefore);
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (response.ok) schedule((await response.json()).seconds_left);
  });

  schedule(Number(panel.dataset.secondsLeft));
}
