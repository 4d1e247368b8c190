// Structured host call: passes a record { id, name, tags, point } to the
// host function `jsbenchHostValue(record)` N times (installed by backends with
// the `host_value` capability: on deno-core an op whose argument and result
// cross through serde_v8) and checks every answer { id, units, norm }: units
// is the UTF-16 length of name plus tags, norm is x*x + y*y. Compare with
// host-value-json, which sends the same records as JSON text through the
// string host callback. Input: number of calls. Output: "<calls>:<sum of units>".
const NAMES = ['a', 'déjà vu', '日本語', '😀 smile', 'plain ascii name', ''];
const TAGS = ['x', 'yz', 'ünï', '🚀'];

function records() {
  const out = [];
  for (let i = 0; i < 16; i++) {
    const tags = [];
    for (let t = 0; t < i % 5; t++) tags.push(TAGS[(i + t) % TAGS.length]);
    out.push({ id: i, name: NAMES[i % NAMES.length], tags, point: { x: i * 0.5, y: 3 - i } });
  }
  return out;
}

const units = (r) => r.tags.reduce((n, t) => n + t.length, r.name.length);

export function run(input) {
  const n = parseInt(input, 10);
  if (!(n >= 0)) throw new Error('host-value: bad call count ' + input);
  if (typeof jsbenchHostValue !== 'function') throw new Error('host-value: jsbenchHostValue is not installed');
  const all = records();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const r = all[i & 15];
    const answer = jsbenchHostValue(r);
    const want = units(r);
    if (answer.id !== r.id || answer.units !== want || answer.norm !== r.point.x * r.point.x + r.point.y * r.point.y) {
      throw new Error('host-value: jsbenchHostValue(' + JSON.stringify(r) + ') returned ' + JSON.stringify(answer));
    }
    total += answer.units;
  }
  return n + ':' + total;
}
