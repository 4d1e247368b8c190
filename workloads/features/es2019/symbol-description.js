// edition: ES2019
// feature: Symbol.prototype.description
// checks: description of symbols with and without one
export function run(input) {
  if (Symbol("d").description !== "d") return "description";
  if (Symbol().description !== undefined) return "no description should be undefined";
  if (Symbol("").description !== "") return "empty description";
  return "ok";
}
