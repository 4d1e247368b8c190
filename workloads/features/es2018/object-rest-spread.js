// edition: ES2018
// feature: Object rest/spread properties
// checks: spread copies own enumerable properties; rest collects the others
export function run(input) {
  const a = { x: 1, y: 2 };
  const b = { ...a, y: 3, z: 4 };
  if (JSON.stringify(b) !== '{"x":1,"y":3,"z":4}') return "spread gave " + JSON.stringify(b);
  const { x, ...rest } = b;
  if (x !== 1 || JSON.stringify(rest) !== '{"y":3,"z":4}') return "rest";
  let getterRan = 0;
  const c = { ...{ get g() { getterRan++; return 1; } } };
  if (getterRan !== 1 || Object.getOwnPropertyDescriptor(c, "g").get !== undefined) return "spread does not read getters into values";
  return "ok";
}
