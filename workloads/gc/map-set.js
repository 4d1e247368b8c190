// Map/Set-heavy code: word counting with string keys, object-keyed maps,
// Set union/intersection/difference by iteration, deletions while growing,
// and insertion-order iteration (which ECMAScript specifies exactly).
// Input: number of words. Output: "<distinct>:<union>:<intersection>:<difference>:<checksum>".
const SYLLABLES = ['ka', 'to', 'ri', 'me', 'su', 'no', 'la', 'vi', 'de', 'po', 'xu', 'ben'];

export function run(input) {
  const n = parseInt(input, 10);
  if (!(n >= 1)) throw new Error('map-set: bad count ' + input);
  let seed = 0x2f6b3a1;
  const next = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; };
  // word frequencies
  const counts = new Map();
  const words = [];
  for (let i = 0; i < n; i++) {
    let r = next();
    let w = '';
    const len = 1 + (r % 3);
    r = Math.floor(r / 3);
    for (let j = 0; j < len; j++) { w += SYLLABLES[r % 12]; r = Math.floor(r / 12); }
    words.push(w);
    counts.set(w, (counts.get(w) || 0) + 1);
  }
  // two sets built from halves, then set algebra by iteration
  const a = new Set(), b = new Set();
  for (let i = 0; i < n; i++) (i & 1 ? a : b).add(words[i] + (i % 7));
  const union = new Set(a);
  for (const x of b) union.add(x);
  const inter = new Set();
  for (const x of a) if (b.has(x)) inter.add(x);
  const diff = new Set();
  for (const x of a) if (!b.has(x)) diff.add(x);
  // object keys: identity map from records to their index, delete every third
  const records = [];
  const index = new Map();
  for (let i = 0; i < (n >> 2); i++) {
    const rec = { id: i, word: words[i] };
    records.push(rec);
    index.set(rec, i);
  }
  for (let i = 0; i < records.length; i += 3) index.delete(records[i]);
  let check = 0;
  for (const [rec, i] of index) check = (Math.imul(check, 31) + i + rec.word.length) >>> 0;
  for (const [w, c] of counts) {
    if (c > 1) check = (Math.imul(check, 31) + c * w.length) >>> 0;
  }
  // churn: delete and re-add keys, then iterate in insertion order
  let k = 0;
  for (const w of counts.keys()) {
    if ((k++ & 3) === 0) counts.delete(w);
  }
  for (let i = 0; i < 100; i++) counts.set('extra' + i, i);
  for (const [w, c] of counts) check = (Math.imul(check, 17) + c + w.charCodeAt(0)) >>> 0;
  return counts.size + ':' + union.size + ':' + inter.size + ':' + diff.size + ':' + check;
}
