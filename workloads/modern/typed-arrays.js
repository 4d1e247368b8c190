// Typed arrays: Float64Array stencil (1-D heat diffusion), Int32Array
// prefix sums and histogram, Uint8Array byte shuffling with subarray/set/
// copyWithin, Uint16 views over a shared ArrayBuffer and DataView
// reads/writes with explicit endianness.
// Input: element count. Output: "<heat checksum>:<prefix>:<histogram>:<bytes>:<dataview>".
export function run(input) {
  const n = parseInt(input, 10);
  if (!(n >= 16)) throw new Error('typed-arrays: need at least 16 elements');
  let seed = 0x7a11ed;
  const next = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; };

  // 1. heat diffusion on a Float64Array with fixed boundaries (dyadic values stay exact)
  let a = new Float64Array(n), b = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = (next() & 1023);
  for (let step = 0; step < 20; step++) {
    b[0] = a[0]; b[n - 1] = a[n - 1];
    for (let i = 1; i < n - 1; i++) b[i] = 0.25 * a[i - 1] + 0.5 * a[i] + 0.25 * a[i + 1];
    const t = a; a = b; b = t;
  }
  let heat = 0;
  for (let i = 0; i < n; i++) heat = (heat + Math.floor(a[i] * 16)) % 1000000007;

  // 2. Int32Array prefix sums (wrapping) and a histogram
  const ints = new Int32Array(n);
  for (let i = 0; i < n; i++) ints[i] = next();
  for (let i = 1; i < n; i++) ints[i] = (ints[i] + ints[i - 1]) | 0;
  const hist = new Uint32Array(256);
  for (let i = 0; i < n; i++) hist[ints[i] >>> 24]++;
  let histCheck = 0;
  for (let i = 0; i < 256; i++) histCheck = (Math.imul(histCheck, 31) + hist[i]) >>> 0;

  // 3. bytes: fill, copyWithin, subarray + set, reverse, and a Uint16 view
  const buf = new ArrayBuffer(n * 2);
  const bytes = new Uint8Array(buf);
  for (let i = 0; i < bytes.length; i++) bytes[i] = next() & 255;
  bytes.copyWithin(0, n, n + (n >> 1));
  bytes.subarray(n >> 2, n >> 1).reverse();
  bytes.set(bytes.subarray(0, 16), bytes.length - 16);
  const words = new Uint16Array(buf);
  // a word's value depends on platform endianness; the sum of its two bytes does not
  let byteSum = 0;
  for (let i = 0; i < words.length; i++) byteSum += (words[i] & 255) + (words[i] >>> 8);

  // 4. DataView with explicit endianness: write big-endian, read little-endian
  const view = new DataView(new ArrayBuffer(n * 4));
  for (let i = 0; i < n; i++) view.setUint32(i * 4, ints[i] >>> 0, false);
  let dv = 0;
  for (let i = 0; i < n; i++) dv = (dv + view.getUint32(i * 4, true) + view.getInt16(i * 4, false)) >>> 0;
  view.setFloat64(0, 1.5, true);
  dv = (dv + view.getUint8(7) + view.getUint8(0)) >>> 0; // 1.5 is 0x3ff8000000000000

  return heat + ':' + (ints[n - 1] >>> 0) + ':' + histCheck + ':' + byteSum + ':' + dv;
}
