// Hostile: recursion through a native builtin (Array.prototype.map calls
// back into JavaScript), so every level also uses native stack. Every
// engine's stack guard fires first and throws (`exception`): QuickJS, V8,
// JavaScriptCore a RangeError, Boa its recursion limit, and SpiderMonkey
// in the wasm component "too much recursion" before the WebAssembly stack
// runs out (no trap).
function down(n) {
  return [n + 1].map(down)[0];
}

export function run(input) {
  return String(down(input.length));
}
