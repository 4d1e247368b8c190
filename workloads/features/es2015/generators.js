// edition: ES2015
// feature: Generators
// checks: function*, yield*, values sent with next(), return()
function* inner() { yield 2; yield 3; return "r"; }
function* outer() { const got = yield 1; const r = yield* inner(); yield got + r; }
export function run(input) {
  const g = outer();
  const seq = [g.next().value, g.next("x").value, g.next().value, g.next().value];
  if (seq.join() !== "1,2,3,xr") return "sequence " + seq.join();
  if (!g.next().done) return "generator did not finish";
  const h = inner();
  h.next();
  const ret = h.return(9);
  if (ret.value !== 9 || !ret.done) return "return()";
  return "ok";
}
