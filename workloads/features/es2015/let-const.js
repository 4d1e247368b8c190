// edition: ES2015
// feature: let and const
// checks: block scoping, per-iteration bindings, temporal dead zone, const assignment
export function run(input) {
  const fns = [];
  for (let i = 0; i < 3; i++) fns.push(() => i);
  if (fns.map((f) => f()).join() !== "0,1,2") return "let in for loop is not per-iteration";
  let x = 1;
  { let x = 2; if (x !== 2) return "inner block binding"; }
  if (x !== 1) return "block binding leaked";
  try { tdz; let tdz = 1; return "no temporal dead zone"; } catch (e) { if (!(e instanceof ReferenceError)) return "TDZ threw " + e; }
  const k = 1;
  try { k = 2; return "assigning a const did not throw"; } catch (e) { if (!(e instanceof TypeError)) return "const assignment threw " + e; }
  return "ok";
}
