// edition: ES2016
// feature: Exponentiation operator
// checks: ** and **= with precedence and negative bases
export function run(input) {
  if (2 ** 10 !== 1024) return "2 ** 10";
  if (2 ** 3 ** 2 !== 512) return "** is not right-associative";
  if ((-2) ** 3 !== -8) return "negative base";
  let v = 3;
  v **= 2;
  return v === 9 ? "ok" : "**=";
}
