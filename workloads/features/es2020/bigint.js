// edition: ES2020
// feature: BigInt
// checks: literals, arithmetic beyond 2^53, BigInt64Array, mixing errors
export function run(input) {
  if (typeof BigInt !== "function") return "missing: BigInt";
  const big = 2n ** 64n;
  if (big.toString() !== "18446744073709551616") return "2n ** 64n gave " + big;
  if (BigInt(Number.MAX_SAFE_INTEGER) + 2n !== 9007199254740993n) return "past 2^53";
  if (-7n / 2n !== -3n) return "division truncates toward zero";
  try { 1n + 1; return "mixing BigInt and Number did not throw"; } catch (e) { if (!(e instanceof TypeError)) return "mixing threw " + e; }
  const arr = new BigInt64Array([-1n]);
  if (new BigUint64Array(arr.buffer)[0] !== 2n ** 64n - 1n) return "BigInt64Array";
  if (BigInt.asIntN(8, 255n) !== -1n) return "asIntN";
  return "ok";
}
