// edition: ES2015
// feature: Template literals
// checks: interpolation, multi-line, tagged templates with raw strings
function tag(strings, ...values) { return strings.raw.join("|") + "#" + values.join(","); }
export function run(input) {
  const a = 2;
  if (`a=${a + 1}` !== "a=3") return "interpolation";
  if (`x
y` !== "x\ny") return "multi-line";
  const t = tag`one\n${a}two${a * 2}`;
  if (t !== "one\\n|two|#2,4") return "tagged template gave " + t;
  return "ok";
}
