// edition: ES2017
// feature: async/await
// checks: async functions, await ordering, rejections as exceptions, async arrows
async function twice(x) { await null; return x * 2; }
export async function run(input) {
  const order = [];
  const p = (async () => { order.push("start"); await 0; order.push("resumed"); })();
  order.push("sync");
  await p;
  if (order.join() !== "start,sync,resumed") return "ordering " + order.join();
  if ((await twice(21)) !== 42) return "return value";
  try { await (async () => { throw new RangeError("x"); })(); return "no throw"; } catch (e) { if (!(e instanceof RangeError)) return "rejection type"; }
  return "ok";
}
