// Shows the questions a choice calls for as it is chosen (the impact grid's mitigation and
// justification, and what a group's relevance reveals). The server decides what shows when the
// page is drawn; this only follows the choice live. An element marks itself with
// data-reveal-when (the radios' name) and data-reveal-values (the values that show it). A GOV.UK
// conditional part (govuk-radios__conditional) is hidden by its class, which the stylesheet
// obeys only once scripts run: without them, everything shows.
export function startReveals(root) {
  const reveals = [...root.querySelectorAll("[data-reveal-when]")];
  if (!reveals.length) return;
  root.addEventListener("change", (event) => {
    const { name, value } = event.target;
    for (const reveal of reveals) {
      if (reveal.dataset.revealWhen !== name) continue;
      const wanted = reveal.dataset.revealValues.split(" ").includes(value);
      const hide = !wanted && !reveal.querySelector(".govuk-form-group--error");
      if (reveal.classList.contains("govuk-radios__conditional")) {
        reveal.classList.toggle("govuk-radios__conditional--hidden", hide);
      } else {
        reveal.hidden = hide;
      }
    }
  });
}
