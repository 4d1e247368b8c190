// edition: ES2022
// feature: RegExp match indices (d flag)
// checks: indices of the match and of named groups
export function run(input) {
  let re;
  try { re = new RegExp("(?<word>b+)", "d"); } catch (e) { return "missing: RegExp d flag (" + e + ")"; }
  const m = re.exec("aabbbc");
  if (!m || !m.indices) return "no indices";
  if (m.indices[0].join() !== "2,5" || m.indices.groups.word.join() !== "2,5") return "indices " + JSON.stringify(m.indices);
  return re.hasIndices ? "ok" : "hasIndices is false";
}
