// JSON in, JSON out: the host passes a ~100 KB JSON document (a user list,
// embedding/data/doc-100kb.json); run parses it, transforms it (per-group
// aggregates with a top-3 ranking, per-user summaries with manager-chain
// depth, e-mail domain counts) and returns the result as JSON text, so the
// cost of moving sizeable strings across the host boundary is part of it.
// Input: the document. Output: JSON text.
export function run(input) {
  const doc = JSON.parse(input);
  const users = doc.users;
  const byId = new Map();
  for (const u of users) byId.set(u.id, u);

  const groups = [];
  for (const g of doc.groups) {
    const members = users.filter((u) => u.active && u.group === g);
    let balance = 0, visits = 0;
    const ranked = [];
    for (const u of members) {
      let v = 0;
      for (const x of u.visits) v += x;
      balance += u.balance_cents;
      visits += v;
      ranked.push({ id: u.id, visits: v });
    }
    ranked.sort((a, b) => b.visits - a.visits || a.id - b.id);
    groups.push({
      group: g,
      active: members.length,
      balance_cents: balance,
      visits,
      top: ranked.slice(0, 3).map((r) => r.id),
    });
  }

  const summaries = [];
  const domains = new Map();
  for (const u of users) {
    const at = u.email.indexOf('@');
    const domain = u.email.slice(at + 1);
    domains.set(domain, (domains.get(domain) || 0) + 1);
    if (!u.active) continue;
    let depth = 0;
    for (let m = u; m.manager !== null && m.manager !== m.id && depth < 64; m = byId.get(m.manager)) depth++;
    summaries.push({
      id: u.id,
      initials: u.name.split(' ').map((w) => w.charAt(0)).join(''),
      user: u.email.slice(0, at),
      tags: u.tags.length === 0 ? null : u.tags.slice().sort().join('|'),
      max_visit: Math.max(...u.visits),
      depth,
    });
  }
  const domainList = [...domains.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return JSON.stringify({ schema: doc.schema + '/summary', groups, domains: domainList, users: summaries });
}
