// Sort N strings generated from a seeded PRNG with the default comparator
// (UTF-16 code-unit order, fully specified). Strings share prefixes so that
// comparisons look past the first characters; some include non-ASCII letters.
// Equal strings are indistinguishable, so sort stability cannot matter.
// Input: N. Output: "<N>:<distinct>:<total length>:<checksum of sorted order>".
const PREFIXES = ['', 'alpha-', 'beta-', 'gamma/', 'delta.', 'alpha-beta-', 'zeta', 'Ω-'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éøß';

export function run(input) {
  const n = parseInt(input, 10);
  if (!(n >= 1)) throw new Error('sort-strings: bad count ' + input);
  let seed = 0x51ed270b;
  const next = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; };
  const a = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    let r = next();
    let s = PREFIXES[r & 7];
    const len = 3 + ((r >>> 3) % 10);
    for (let j = 0; j < len; j++) {
      if ((j & 3) === 0) r = next();
      s += LETTERS[r % LETTERS.length];
      r = Math.floor(r / LETTERS.length);
    }
    a.push(s);
    total += s.length;
  }
  a.sort();
  let check = 0, distinct = 1;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      if (a[i - 1] > a[i]) throw new Error('sort-strings: not sorted');
      if (a[i - 1] !== a[i]) distinct++;
    }
    const s = a[i];
    check = (Math.imul(check, 31) + s.length * 131 + s.charCodeAt(s.length - 1) + s.charCodeAt(0)) >>> 0;
  }
  return n + ':' + distinct + ':' + total + ':' + check;
}
