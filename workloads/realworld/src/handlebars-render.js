// Compiles a Handlebars template (to JavaScript, with `new Function`) with
// a partial and helpers, and renders it. The package's own entry wants
// Node's `fs`; its CommonJS build is the one for other platforms.
import Handlebars from "handlebars/dist/cjs/handlebars.js";

export function run(input) {
  const { template, partials, context } = JSON.parse(input);
  const hb = Handlebars.create();
  hb.registerHelper("countOptional", (items) => items.filter((p) => p.optional).length);
  hb.registerHelper("slug", (text) => String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-"));
  hb.registerHelper("default", (value, fallback) => value ?? fallback);
  for (const [name, partial] of Object.entries(partials)) hb.registerPartial(name, partial);
  return hb.compile(template)(context);
}
