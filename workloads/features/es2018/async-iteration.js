// edition: ES2018
// feature: Async iteration
// checks: async generators, for await over async and sync iterables
async function* ticks(n) { for (let i = 0; i < n; i++) { await null; yield i; } }
export async function run(input) {
  const got = [];
  for await (const v of ticks(3)) got.push(v);
  for await (const v of [Promise.resolve("a"), "b"]) got.push(v);
  if (got.join() !== "0,1,2,a,b") return "for await gave " + got.join();
  const it = ticks(1)[Symbol.asyncIterator]();
  const first = await it.next();
  const end = await it.next();
  if (first.value !== 0 || !end.done) return "manual next()";
  return "ok";
}
