// edition: ES2021
// feature: Promise.any and AggregateError
// checks: first fulfilment wins; all rejections give an AggregateError
export async function run(input) {
  if (typeof Promise.any !== "function") return "missing: Promise.any";
  const v = await Promise.any([Promise.reject(1), Promise.resolve(2)]);
  if (v !== 2) return "first fulfilment";
  try { await Promise.any([Promise.reject(1), Promise.reject(2)]); return "no rejection"; } catch (e) {
    if (!(e instanceof AggregateError) || e.errors.join() !== "1,2") return "AggregateError";
  }
  return "ok";
}
