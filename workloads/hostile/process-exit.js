// Hostile: the runtime process exits in the middle of a call. On Node and
// Bun `process.exit` ends the child, on Deno `Deno.exit` does: `crashed`.
// Embedded engines and the wasm component have neither global, so the call
// throws a ReferenceError: `exception`.
export function run(input) {
  if (typeof Deno === 'object') Deno.exit(7);
  process.exit(7);
  return input;
}
