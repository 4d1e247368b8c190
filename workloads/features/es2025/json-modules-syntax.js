// edition: ES2025
// feature: Import attributes syntax
// checks: `with { type: "json" }` on an import parses (the import itself is never run)
export async function run(input) {
  // The attribute must parse; the dynamic import is never called, as
  // backends load a single module.
  const load = () => import("./data.json", { with: { type: "json" } });
  return typeof load === "function" ? "ok" : "unreachable";
}
