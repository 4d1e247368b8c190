// edition: ES2020
// feature: Promise.allSettled
// checks: statuses and values of mixed outcomes
export async function run(input) {
  if (typeof Promise.allSettled !== "function") return "missing: Promise.allSettled";
  const r = await Promise.allSettled([Promise.resolve(1), Promise.reject(2)]);
  if (r[0].status !== "fulfilled" || r[0].value !== 1) return "fulfilled entry";
  if (r[1].status !== "rejected" || r[1].reason !== 2) return "rejected entry";
  return "ok";
}
