// The string route of host-value: the same records, sent to the host as JSON
// text through the string host callback `jsbenchHost(s)` (which answers the
// text's UTF-16 length), N times, each answer checked. The host does not
// parse the text, so this is a lower bound of a JSON-over-strings API; set
// it against host-value on the same backend. Input: number of calls.
// Output: "<calls>:<sum of units>", the same as host-value's.
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
  if (!(n >= 0)) throw new Error('host-value-json: bad call count ' + input);
  if (typeof jsbenchHost !== 'function') throw new Error('host-value-json: jsbenchHost is not installed');
  const all = records();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const r = all[i & 15];
    const text = JSON.stringify(r);
    const answer = jsbenchHost(text);
    if (answer !== String(text.length)) {
      throw new Error('host-value-json: jsbenchHost(' + text + ') returned ' + JSON.stringify(answer));
    }
    total += units(r);
  }
  return n + ':' + total;
}
