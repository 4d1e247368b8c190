// TypeScript takes any runtime with a `process` (Node, Deno, Bun) for Node
// and then loads `fs`, `path` and `os` (listed `external` in the manifest,
// so they are never bundled). This workload runs the compiler as a web
// page does, the same on every backend: `process.browser` tells it so.
// Imported before the compiler, so it runs first.
if (typeof process !== "undefined" && process !== null) {
  process.browser = true;
}
