// edition: ES2026
// feature: Array.fromAsync
// checks: collects async iterables and awaits values
export async function run(input) {
  if (typeof Array.fromAsync !== "function") return "missing: Array.fromAsync";
  async function* gen() { yield 1; yield Promise.resolve(2); }
  const a = await Array.fromAsync(gen());
  const b = await Array.fromAsync([Promise.resolve(3), 4], (x) => x * 2);
  if (a.join() !== "1,2") return "async iterable gave " + a.join();
  return b.join() === "6,8" ? "ok" : "mapped sync iterable gave " + b.join();
}
