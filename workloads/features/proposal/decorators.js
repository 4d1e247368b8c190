// edition: proposal
// feature: Decorators
// checks: class and method decorators with context (stage 3)
function logged(value, context) {
  return function (...args) { return context.name + ":" + value.apply(this, args); };
}
class C {
  @logged
  greet(x) { return "hi " + x; }
}
export function run(input) {
  const got = new C().greet("you");
  return got === "greet:hi you" ? "ok" : "decorated method gave " + got;
}
