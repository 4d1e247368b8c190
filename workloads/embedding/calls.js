// Shared module of `calls-one-large` and `calls-many-small`: run(n) performs n
// identical units of work and folds their results. `calls-one-large` does all
// units in one call; `calls-many-small` does one unit per call, repeated
// (manifest `calls`) so that both operations do the same total work and the
// difference is the per-call cost.
// A unit: build a 64-element array from a fixed seed, sort it numerically,
// and hash it with a short string. Every unit does exactly the same work.
function unit() {
  let seed = 0x1b873593;
  const a = [];
  for (let i = 0; i < 64; i++) {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    a.push((seed >>> 0) % 100000);
  }
  a.sort((x, y) => x - y);
  let h = 0x811c9dc5;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a[i], 16777619);
  const s = 'unit:' + (h >>> 0).toString(36);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function run(input) {
  const n = parseInt(input, 10);
  if (!(n >= 1)) throw new Error('calls: bad unit count ' + input);
  let acc = 0;
  for (let i = 0; i < n; i++) acc = (acc + unit()) >>> 0;
  return n + ':' + acc;
}
