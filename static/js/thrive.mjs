// Progressive enhancement only: every page works without this file.
import { initAll } from "../build/govuk/govuk-frontend.min.js";
import { startReveals } from "./reveal.mjs";
import { startSessionWarning } from "./session-warning.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
startReveals(document);
startSessionWarning(document.getElementById("session-warning"));
