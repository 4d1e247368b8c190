// edition: proposal
// feature: JSON.parse source text access
// checks: reviver context.source and JSON.rawJSON (stage 3)
export function run(input) {
  if (typeof JSON.rawJSON !== "function") return "missing: JSON.rawJSON";
  const seen = [];
  JSON.parse('{"big": 12345678901234567890}', (k, v, ctx) => { if (k === "big") seen.push(ctx.source); return v; });
  if (seen[0] !== "12345678901234567890") return "reviver source gave " + seen[0];
  return JSON.stringify({ n: JSON.rawJSON("1e1000") }) === '{"n":1e1000}' ? "ok" : "rawJSON";
}
