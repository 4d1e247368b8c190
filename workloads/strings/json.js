// JSON round trip: JSON.parse then JSON.stringify of a generated document of
// about the requested size. The document (records with strings that need
// escaping, non-ASCII text, nested arrays and objects, integers, booleans and
// nulls; no integer-like keys, no non-integer numbers) is generated from a
// fixed seed on the first call for a size and cached in the module, so the
// timed work of later calls is parse + walk + stringify.
// Input: target size in bytes. Output: "<text length>:<records>:<values>:<fnv-1a of the re-stringified text>".
const cache = new Map();
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'quote"d', 'back\\slash', 'tab\tbed', 'new\nline',
  'café', 'naïve', 'Ωmega', '日本語', 'emoji 😀', 'slash/', 'ctrl\u0001', 'plain'];

function generate(target) {
  let seed = 0x4a534f4e;
  const next = (n) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };
  const records = [];
  const doc = { version: 3, generator: 'jsbench', records };
  let text = JSON.stringify(doc);
  let size = text.length;
  let id = 0;
  while (size < target) {
    const tags = [];
    for (let i = next(4); i >= 0; i--) tags.push(WORDS[next(WORDS.length)]);
    const rec = {
      id: id++,
      name: WORDS[next(WORDS.length)] + ' ' + WORDS[next(WORDS.length)],
      active: next(2) === 0,
      score: next(100000) - 50000,
      tags,
      geo: { lat: next(180000) - 90000, lon: next(360000) - 180000 },
      parent: next(3) === 0 ? null : { id: next(id), rel: next(2) === 0 ? 'child' : 'peer' },
      history: [next(1000), next(1000), next(1000)],
    };
    const piece = JSON.stringify(rec).length + 1;
    if (records.length > 0 && size + piece > target) break;
    records.push(rec);
    size += piece;
  }
  text = JSON.stringify(doc);
  return text;
}

function countValues(v) {
  // iterative walk over the parsed value
  let count = 0;
  const stack = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    count++;
    if (Array.isArray(x)) { for (let i = 0; i < x.length; i++) stack.push(x[i]); }
    else if (x !== null && typeof x === 'object') { for (const k in x) stack.push(x[k]); }
  }
  return count;
}

function fnv(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function run(input) {
  const target = parseInt(input, 10);
  if (!(target >= 64)) throw new Error('json: bad size ' + input);
  let text = cache.get(target);
  if (text === undefined) { text = generate(target); cache.set(target, text); }
  const doc = JSON.parse(text);
  const values = countValues(doc);
  const out = JSON.stringify(doc);
  if (out !== text) throw new Error('json: round trip changed the text');
  return out.length + ':' + doc.records.length + ':' + values + ':' + fnv(out);
}
