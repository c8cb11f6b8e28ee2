// Builds Werkplek's front-end assets into the Django static folder (committed there).
//
//   npm ci && npm run build      (or: make assets)
//
// Output in src/werkplek/core/static/werkplek/:
//   werkplek.css              GOV.UK Frontend + Werkplek brand, compressed
//   govuk-frontend.min.js     GOV.UK Frontend's ES module bundle (initAll is called by werkplek.js)
//   govuk-frontend-LICENCE.txt  GOV.UK Frontend's MIT licence
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "werkplek", "core", "static", "werkplek");
const require = createRequire(import.meta.url);
const govukRoot = dirname(require.resolve("govuk-frontend/package.json"));
const govukVersion = require("govuk-frontend/package.json").version;

mkdirSync(out, { recursive: true });

const result = sass.compile(join(here, "scss", "werkplek.scss"), {
  style: "compressed",
  loadPaths: [join(here, "node_modules")],
  quietDeps: true,
  silenceDeprecations: [],
});
const banner = `/*! Werkplek styles, built on GOV.UK Frontend ${govukVersion} (MIT licence, see govuk-frontend-LICENCE.txt) */\n`;
writeFileSync(join(out, "werkplek.css"), banner + result.css + "\n");

// The source map is not shipped, so its reference goes too (Django's manifest storage would
// otherwise fail on the missing file during collectstatic).
const js = readFileSync(join(govukRoot, "dist", "govuk", "govuk-frontend.min.js"), "utf8")
  .replace(/\n?\/\/# sourceMappingURL=.*$/m, "");
writeFileSync(join(out, "govuk-frontend.min.js"), js.trimEnd() + "\n");
// The npm package does not ship its LICENSE.txt; ours is kept in assets/licences/.
copyFileSync(join(here, "licences", "govuk-frontend-LICENCE.txt"), join(out, "govuk-frontend-LICENCE.txt"));

console.log(`Built ${out} (govuk-frontend ${govukVersion})`);
