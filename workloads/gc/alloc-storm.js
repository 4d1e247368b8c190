// Allocation storm: enormous numbers of short-lived objects, arrays, closures
// and small strings that die young; only a running checksum survives.
// Input: number of rounds. Output: "<objects allocated>:<checksum>".
function makePoint(x, y) { return { x, y }; }

function makeCounter(start) {
  let n = start;
  return () => ++n;
}

export function run(input) {
  const rounds = parseInt(input, 10);
  if (!(rounds >= 1)) throw new Error('alloc-storm: bad rounds ' + input);
  let check = 0;
  let allocated = 0;
  for (let r = 0; r < rounds; r++) {
    // a short linked list of points
    let list = null;
    for (let i = 0; i < 32; i++) {
      list = { p: makePoint(i, r & 1023), next: list };
      allocated += 2;
    }
    let s = 0;
    for (let n = list; n !== null; n = n.next) s += n.p.x * 3 + n.p.y;
    // temporary arrays mapped and filtered
    const arr = [r & 7, (r >> 3) & 7, (r >> 6) & 7, 1, 2, 3, 4, 5];
    const mapped = arr.map((v) => ({ v: v * 2 })).filter((o) => o.v % 4 === 0);
    allocated += 1 + arr.length + 1;
    for (const o of mapped) s += o.v;
    // closures
    const c = makeCounter(r & 15);
    c(); c();
    s += c();
    allocated++;
    // small strings and a tuple
    const str = 'item-' + (r % 100) + '/' + (r & 3);
    const pair = [str, str.length];
    allocated += 2;
    s += pair[1];
    check = (Math.imul(check, 33) + s) >>> 0;
  }
  return allocated + ':' + check;
}
