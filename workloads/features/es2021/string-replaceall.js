// edition: ES2021
// feature: String.prototype.replaceAll
// checks: string and global RegExp patterns, $& in replacements
export function run(input) {
  if (typeof "".replaceAll !== "function") return "missing: String.prototype.replaceAll";
  if ("a.b.c".replaceAll(".", "-") !== "a-b-c") return "string pattern";
  if ("aaa".replaceAll(/a/g, "[$&]") !== "[a][a][a]") return "RegExp pattern";
  try { "a".replaceAll(/a/, "b"); return "non-global RegExp accepted"; } catch (e) { if (!(e instanceof TypeError)) return "non-global threw " + e; }
  return "ok";
}
