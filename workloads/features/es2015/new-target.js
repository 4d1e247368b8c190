// edition: ES2015
// feature: new.target
// checks: new.target in functions and constructors
function F() { return new.target === undefined ? "call" : "new"; }
export function run(input) {
  if (F() !== "call") return "plain call";
  if (!(new F() instanceof F)) return "constructor call";
  let seen;
  function G() { seen = new.target; }
  new G();
  if (seen !== G) return "new.target is not the constructor";
  return "ok";
}
