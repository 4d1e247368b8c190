// edition: ES2025
// feature: Duplicate named capture groups
// checks: the same group name in different alternatives
export function run(input) {
  let re;
  try { re = new RegExp("(?<y>\\d{4})-\\d{2}|\\d{2}/(?<y>\\d{4})"); } catch (e) { return "missing: duplicate named groups (" + e.constructor.name + ")"; }
  if (re.exec("2024-05").groups.y !== "2024" || re.exec("05/1999").groups.y !== "1999") return "groups";
  return "ok";
}
