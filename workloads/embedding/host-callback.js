// Host callback: calls the host function `jsbenchHost(s)` (installed by
// backends with the `host_callback` capability; it returns the length of s in
// UTF-16 code units as decimal text) once per string and checks every answer.
// Strings vary in length and include non-ASCII text and surrogate pairs.
// Input: number of calls. Output: "<calls>:<sum of lengths>".
const PIECES = ['a', 'bc', 'déf', '日本', '😀', 'xyz0123456789', ''];

export function run(input) {
  const n = parseInt(input, 10);
  if (!(n >= 0)) throw new Error('host-callback: bad call count ' + input);
  if (typeof jsbenchHost !== 'function') throw new Error('host-callback: jsbenchHost is not installed');
  const strings = [];
  let s = '';
  for (let i = 0; i < 64; i++) {
    s = i % 16 === 0 ? PIECES[i % PIECES.length] : s + PIECES[i % PIECES.length];
    strings.push(s);
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const str = strings[i & 63];
    const answer = jsbenchHost(str);
    if (answer !== String(str.length)) {
      throw new Error('host-callback: jsbenchHost(' + JSON.stringify(str) + ') returned ' + JSON.stringify(answer));
    }
    total += str.length;
  }
  return n + ':' + total;
}
