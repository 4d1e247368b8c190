// Sort N numbers generated from a seeded PRNG with Array.prototype.sort and a
// numeric comparator. The numbers are uint32/4096 minus an offset, so they
// are exact doubles (fractions and negatives) and every engine sees the same
// values; equal values are indistinguishable, so stability cannot matter.
// Input: N. Output: "<N>:<min*4096>:<max*4096>:<checksum of sorted order>".
export function run(input) {
  const n = parseInt(input, 10);
  if (!(n >= 1)) throw new Error('sort-numbers: bad count ' + input);
  let seed = 0x6d2b79f5;
  const a = [];
  for (let i = 0; i < n; i++) {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    a.push((seed >>> 0) / 4096 - 524288);
  }
  a.sort((x, y) => x - y);
  let check = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && a[i - 1] > a[i]) throw new Error('sort-numbers: not sorted');
    const u = (a[i] + 524288) * 4096; // back to the exact uint32
    check = (Math.imul(check, 31) + u + i) >>> 0;
  }
  return n + ':' + (a[0] * 4096) + ':' + (a[n - 1] * 4096) + ':' + check;
}
