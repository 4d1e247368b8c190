// edition: ES2021
// feature: Numeric separators
// checks: _ in decimal, hex, binary, BigInt and fraction literals
export function run(input) {
  if (1_000_000 !== 1000000 || 0xFF_FF !== 65535 || 0b1010_0001 !== 161) return "integer literals";
  if (1_0.0_1 !== 10.01) return "fraction";
  if (1_000n !== 1000n) return "BigInt";
  if (Number("1_000") === 1000) return "Number() accepted a separator";
  return "ok";
}
