// edition: ES2015
// feature: Arrow functions
// checks: lexical this and arguments, no prototype, concise bodies
function Counter() {
  this.count = 0;
  const add = (n) => { this.count += n; return arguments.length; };
  this.seen = add(2);
}
export function run(input) {
  const c = new Counter(1, 2, 3);
  if (c.count !== 2) return "arrow did not capture this";
  if (c.seen !== 3) return "arrow did not see the outer arguments";
  const f = (a, b) => ({ sum: a + b });
  if (f(1, 2).sum !== 3) return "concise object body";
  if ("prototype" in f) return "arrow has a prototype";
  return "ok";
}
