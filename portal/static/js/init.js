// Starts GOV.UK Frontend's components (skip link, service navigation menu,
// error summary focus, ...). Every page works without it.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

for (const button of document.querySelectorAll("[data-portal-print]")) {
  button.addEventListener("click", () => window.print());
}

// Print every <details> open, then put them back as they were. Browsers
// without ::details-content (see portal.css) otherwise print them closed.
const closedOnPrint = [];
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details:not([open])")) {
    details.open = true;
    closedOnPrint.push(details);
  }
});
window.addEventListener("afterprint", () => {
  for (const details of closedOnPrint.splice(0)) {
    details.open = false;
  }
});
