// Builds the front-end assets into static/build: GOV.UK Frontend compiled with Thrive LDN's
// settings (no GDS Transport font, no crown), its JavaScript and the images it refers to, and
// the monochrome Noto Emoji font that PDFs draw emoji with (reporting/pdf.py), and the OpenMoji
// pictograms that Easy Read summaries may use (publication/pictograms.json).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "static", "build");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk"), { recursive: true });

const result = sass.compile(join(root, "static", "scss", "thrive.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
});
writeFileSync(join(out, "thrive.css"), result.css);

cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(govuk, "assets", "images"), join(out, "govuk", "assets", "images"), { recursive: true });
const notoEmoji = join(root, "node_modules", "@fontsource", "noto-emoji");
mkdirSync(join(out, "fonts"), { recursive: true });
cpSync(join(notoEmoji, "files", "noto-emoji-emoji-400-normal.woff"), join(out, "fonts", "noto-emoji.woff"));
cpSync(join(notoEmoji, "LICENSE"), join(out, "fonts", "noto-emoji-LICENSE.txt"));
const openmoji = join(root, "node_modules", "openmoji");
const pictograms = JSON.parse(readFileSync(join(root, "publication", "pictograms.json"), "utf8"));
mkdirSync(join(out, "pictograms"), { recursive: true });
for (const hexcode of Object.values(pictograms)) {
  cpSync(join(openmoji, "color", "svg", `${hexcode}.svg`), join(out, "pictograms", `${hexcode}.svg`));
}
cpSync(join(openmoji, "LICENSE.txt"), join(out, "pictograms", "openmoji-LICENSE.txt"));
console.log(`Built ${out}`);
