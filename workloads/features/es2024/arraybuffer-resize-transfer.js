// edition: ES2024
// feature: Resizable ArrayBuffer and transfer
// checks: resize within maxByteLength, length-tracking views, transfer detaches
export function run(input) {
  const buf = new ArrayBuffer(4, { maxByteLength: 16 });
  if (typeof buf.resize !== "function") return "missing: ArrayBuffer.prototype.resize";
  const view = new Uint8Array(buf);
  buf.resize(8);
  if (buf.byteLength !== 8 || view.length !== 8) return "length-tracking view";
  if (typeof buf.transfer !== "function") return "missing: ArrayBuffer.prototype.transfer";
  const moved = buf.transfer(2);
  if (!buf.detached || moved.byteLength !== 2) return "transfer";
  return "ok";
}
