// Parses JavaScript source with acorn (the parser behind webpack, Rollup
// and ESLint's espree) and summarizes the syntax tree: node count and the
// count of every node type.
import { parse } from "acorn";

export function run(input) {
  const ast = parse(input, { ecmaVersion: "latest", sourceType: "module", locations: true });
  const counts = new Map();
  let nodes = 0;
  const stack = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    nodes += 1;
    counts.set(node.type, (counts.get(node.type) ?? 0) + 1);
    for (const key of Object.keys(node)) {
      if (key === "loc") continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const child of value) if (child && typeof child.type === "string") stack.push(child);
      } else if (value && typeof value.type === "string") {
        stack.push(value);
      }
    }
  }
  const types = [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, n]) => `${t}=${n}`);
  return `${nodes} nodes; ${types.join(" ")}`;
}
