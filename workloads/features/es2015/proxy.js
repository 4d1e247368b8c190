// edition: ES2015
// feature: Proxy
// checks: get, set, has, deleteProperty and apply traps; revocable proxies
export function run(input) {
  const log = [];
  const target = { a: 1 };
  const p = new Proxy(target, {
    get(t, k, r) { log.push("get " + String(k)); return k in t ? Reflect.get(t, k, r) : 0; },
    set(t, k, v) { log.push("set " + k); t[k] = v * 2; return true; },
    has(t, k) { return k !== "hidden"; },
    deleteProperty(t, k) { log.push("delete " + k); return delete t[k]; },
  });
  p.b = 5;
  if (target.b !== 10) return "set trap";
  if (p.zzz !== 0 || p.a !== 1) return "get trap";
  if ("hidden" in p || !("other" in p)) return "has trap";
  delete p.a;
  if ("a" in target) return "deleteProperty trap";
  const fn = new Proxy(function (x) { return x; }, { apply(t, self, args) { return t(args[0] + 1); } });
  if (fn(1) !== 2) return "apply trap";
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  try { proxy.x; return "revoked proxy did not throw"; } catch (e) { if (!(e instanceof TypeError)) return "revoked proxy threw " + e; }
  return log.join(";") === "set b;get zzz;get a;delete a" ? "ok" : "trap order " + log.join(";");
}
