// edition: ES2015
// feature: Typed arrays and DataView
// checks: Uint8Array clamping, Float64Array, DataView endianness, shared buffers
export function run(input) {
  const c = new Uint8ClampedArray([300, -5, 1.5]);
  if (c.join() !== "255,0,2") return "Uint8ClampedArray gave " + c.join();
  const buf = new ArrayBuffer(8);
  const dv = new DataView(buf);
  dv.setUint32(0, 0x01020304);
  if (new Uint8Array(buf)[0] !== 1) return "DataView is not big-endian by default";
  dv.setUint16(4, 0x0102, true);
  if (new Uint8Array(buf)[4] !== 2) return "DataView little-endian";
  const f = new Float64Array([1.5, 2.5]).map((x) => x * 2);
  if (f.join() !== "3,5") return "Float64Array map";
  const wrapped = new Int16Array(1);
  wrapped[0] = 40000;
  if (wrapped[0] !== -25536) return "Int16Array wrap-around";
  return "ok";
}
