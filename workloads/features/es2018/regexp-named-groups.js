// edition: ES2018
// feature: RegExp named capture groups
// checks: (?<name>…), groups object, \k<name> backreferences, $<name> replacements
export function run(input) {
  const m = /(?<year>\d{4})-(?<month>\d{2})/.exec("on 2024-02");
  if (!m || !m.groups || m.groups.year !== "2024" || m.groups.month !== "02") return "groups";
  if (!/(?<q>["']).*\k<q>/.test("'x'")) return "\\k backreference";
  if ("2024-02".replace(/(?<y>\d+)-(?<m>\d+)/, "$<m>/$<y>") !== "02/2024") return "$<name> replacement";
  return "ok";
}
