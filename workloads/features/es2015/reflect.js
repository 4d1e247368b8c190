// edition: ES2015
// feature: Reflect
// checks: Reflect.ownKeys order, Reflect.construct with newTarget, defineProperty result
class A { constructor() { this.kind = new.target.name; } }
class B {}
export function run(input) {
  const o = { b: 1, 2: 0, a: 1, 1: 0, [Symbol.iterator]: 0 };
  const keys = Reflect.ownKeys(o).map(String).join();
  if (keys !== "1,2,b,a,Symbol(Symbol.iterator)") return "ownKeys order " + keys;
  const made = Reflect.construct(A, [], B);
  if (!(made instanceof B) || made.kind !== "B") return "construct with newTarget";
  const frozen = Object.freeze({});
  if (Reflect.defineProperty(frozen, "x", { value: 1 }) !== false) return "defineProperty on a frozen object";
  if (Reflect.apply(Math.max, null, [1, 3, 2]) !== 3) return "apply";
  return "ok";
}
