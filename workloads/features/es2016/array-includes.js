// edition: ES2016
// feature: Array.prototype.includes
// checks: finds NaN (unlike indexOf), fromIndex, typed arrays
export function run(input) {
  if (typeof Array.prototype.includes !== "function") return "missing: Array.prototype.includes";
  if (![1, NaN].includes(NaN)) return "NaN not found";
  if ([1, NaN].indexOf(NaN) !== -1) return "indexOf found NaN";
  if ([1, 2, 3].includes(1, 1)) return "fromIndex ignored";
  if (!new Int8Array([5]).includes(5)) return "typed array includes";
  return "ok";
}
