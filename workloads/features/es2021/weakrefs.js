// edition: ES2021
// feature: WeakRef and FinalizationRegistry
// checks: deref of a live target, register/unregister with a token
export function run(input) {
  if (typeof WeakRef !== "function") return "missing: WeakRef";
  if (typeof FinalizationRegistry !== "function") return "missing: FinalizationRegistry";
  const target = { v: 1 };
  const ref = new WeakRef(target);
  if (ref.deref() !== target) return "deref";
  const registry = new FinalizationRegistry(() => {});
  // The registered object stays reachable: a reference-counting engine
  // (QuickJS) would otherwise collect it at once and drop its cell.
  const held = {};
  const token = {};
  registry.register(held, "held", token);
  if (registry.unregister(token) !== true) return "unregister with a token";
  if (registry.unregister(token) !== false) return "second unregister";
  try { new WeakRef(1); return "WeakRef accepted a primitive"; } catch (e) { if (!(e instanceof TypeError)) return "primitive target threw " + e; }
  return held && target ? "ok" : "unreachable";
}
