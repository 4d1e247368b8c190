// Mandelbrot set: escape-time iteration on a W x W grid over [-2,0.5] x [-1.25,1.25].
// Floating-point multiply/add in a tight loop; the result is integer-only.
// Input: "<width>" (iteration cap 50) or "<width>:<maxIter>".
// Output: "<points inside>:<sum of escape iterations mod 2^32>:<row checksum>".
export function run(input) {
  const parts = input.split(':');
  const w = parseInt(parts[0], 10);
  const maxIter = parts.length > 1 ? parseInt(parts[1], 10) : 50;
  if (!(w >= 1 && maxIter >= 1)) throw new Error('mandelbrot: bad input ' + input);
  let inside = 0;
  let iterSum = 0;
  let check = 0;
  for (let y = 0; y < w; y++) {
    const ci = (2.5 * y) / w - 1.25;
    let bits = 0;
    for (let x = 0; x < w; x++) {
      const cr = (2.5 * x) / w - 2.0;
      let zr = 0, zi = 0, tr = 0, ti = 0;
      let i = 0;
      while (i < maxIter && tr + ti <= 4.0) {
        zi = 2.0 * zr * zi + ci;
        zr = tr - ti + cr;
        tr = zr * zr;
        ti = zi * zi;
        i++;
      }
      iterSum = (iterSum + i) >>> 0;
      bits = (bits << 1) & 0xff;
      if (i === maxIter) { inside++; bits |= 1; }
      if ((x & 7) === 7 || x === w - 1) {
        check = (Math.imul(check, 16777619) ^ bits) >>> 0;
        bits = 0;
      }
    }
  }
  return inside + ':' + iterSum + ':' + check;
}
