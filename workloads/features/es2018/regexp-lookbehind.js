// edition: ES2018
// feature: RegExp lookbehind
// checks: positive and negative lookbehind assertions
export function run(input) {
  const prices = "$10 €20 $30".match(/(?<=\$)\d+/g);
  if (!prices || prices.join() !== "10,30") return "positive lookbehind gave " + prices;
  const notDollar = "$10 €20".match(/(?<!\$)\b\d+/g);
  if (!notDollar || notDollar.join() !== "20") return "negative lookbehind gave " + notDollar;
  return "ok";
}
