// edition: ES2026
// feature: Uint8Array base64 and hex
// checks: toBase64, fromBase64, toHex, fromHex
export function run(input) {
  if (typeof Uint8Array.fromBase64 !== "function") return "missing: Uint8Array.fromBase64";
  const bytes = new Uint8Array([104, 105, 255]);
  if (bytes.toBase64() !== "aGn/") return "toBase64 gave " + bytes.toBase64();
  if (Uint8Array.fromBase64("aGn/").join() !== "104,105,255") return "fromBase64";
  if (bytes.toHex() !== "6869ff" || Uint8Array.fromHex("6869ff").join() !== "104,105,255") return "hex";
  return "ok";
}
