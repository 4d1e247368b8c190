// edition: ES2015
// feature: Promises
// checks: then chaining, Promise.all, Promise.race, job ordering
export async function run(input) {
  const order = [];
  const p = Promise.resolve(1).then((v) => { order.push("then"); return v + 1; });
  order.push("sync");
  const all = await Promise.all([p, 3, Promise.resolve(4)]);
  if (all.join() !== "2,3,4") return "Promise.all gave " + all.join();
  const first = await Promise.race([new Promise(() => {}), Promise.resolve("fast")]);
  if (first !== "fast") return "Promise.race";
  try { await Promise.reject(new Error("no")); return "rejection was not thrown"; } catch (e) { if (e.message !== "no") return "rejection reason"; }
  return order.join() === "sync,then" ? "ok" : "job order " + order.join();
}
