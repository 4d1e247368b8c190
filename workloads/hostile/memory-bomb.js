// Hostile: keeps every allocation alive until the memory limit is hit.
// Each step keeps a new 8 MiB string made by `join`, which copies into a
// flat string in every engine (a `+` would make a cheap rope in V8,
// SpiderMonkey and JavaScriptCore); any engine passes a 512 MiB limit in a
// few seconds at most. Expects `out-of-memory`, whether the engine enforces
// the limit itself (QuickJS's allocator, V8's heap limit, the wasm
// component's linear-memory limit, Node's and Deno's --max-old-space-size)
// or the harness sees the resident size of the worker and any runtime
// process it started pass the limit.
export function run(input) {
  const keep = [];
  const block = 'x'.repeat(1 << 23);
  for (let i = 0; input !== 'stop'; i++) {
    keep.push([block, i].join(''));
  }
  return String(keep.length);
}
