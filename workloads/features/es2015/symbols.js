// edition: ES2015
// feature: Symbols
// checks: unique symbols, Symbol.for, well-known Symbol.iterator and Symbol.toPrimitive
export function run(input) {
  const s = Symbol("d");
  if (typeof s !== "symbol" || s === Symbol("d")) return "symbols are not unique";
  if (Symbol.for("k") !== Symbol.for("k")) return "Symbol.for registry";
  const o = { [s]: 1, a: 2 };
  if (Object.keys(o).length !== 1 || Object.getOwnPropertySymbols(o)[0] !== s) return "symbol keys";
  const money = { [Symbol.toPrimitive](hint) { return hint === "number" ? 42 : "forty-two"; } };
  if (+money !== 42 || `${money}` !== "forty-two") return "Symbol.toPrimitive";
  const it = { *[Symbol.iterator]() { yield 1; yield 2; } };
  if ([...it].join() !== "1,2") return "Symbol.iterator";
  return "ok";
}
