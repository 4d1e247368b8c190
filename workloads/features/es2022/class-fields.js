// edition: ES2022
// feature: Public class fields
// checks: instance and static fields, initialisation order, computed names
const k = "computed";
class A {
  x = 1;
  y = this.x + 1;
  [k] = 3;
  static count = 2;
  static twice = A.count * 2;
}
export function run(input) {
  const a = new A();
  if (a.x !== 1 || a.y !== 2 || a.computed !== 3) return "instance fields";
  if (A.count !== 2 || A.twice !== 4) return "static fields";
  if (!Object.getOwnPropertyDescriptor(a, "x").enumerable) return "fields are not own enumerable properties";
  return "ok";
}
