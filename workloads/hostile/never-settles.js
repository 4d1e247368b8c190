// Hostile: `run` returns a Promise that nothing will ever settle. Embedded
// engines see that no job is left and throw (`exception`); the wasm
// component's event loop aborts, a trap of the WebAssembly instance that
// the backend reads as the same `exception`. Node, Deno and Bun cannot know
// that no timer or I/O will settle it, so they wait: `timeout`.
export function run(input) {
  return new Promise(() => {});
}
