// edition: ES2019
// feature: Array.prototype.flat and flatMap
// checks: depth, Infinity, holes removed, flatMap one level
export function run(input) {
  if (typeof [].flat !== "function") return "missing: Array.prototype.flat";
  if (JSON.stringify([1, [2, [3, [4]]]].flat()) !== "[1,2,[3,[4]]]") return "flat()";
  if ([1, [2, [3, [4]]]].flat(Infinity).join() !== "1,2,3,4") return "flat(Infinity)";
  if ([1, , 2].flat().length !== 2) return "holes kept";
  if (JSON.stringify([1, 2].flatMap((x) => [x, [x * 10]])) !== "[1,[10],2,[20]]") return "flatMap";
  return "ok";
}
