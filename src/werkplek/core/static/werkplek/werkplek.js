// Werkplek's script: starts GOV.UK Frontend's components (error summary focus, radios,
// checkboxes, notification banners, skip link…). Progressive enhancement only: every page
// works without it. Loaded from base.html as <script type="module" nonce="…">.
import { initAll } from "./govuk-frontend.min.js";

initAll();
