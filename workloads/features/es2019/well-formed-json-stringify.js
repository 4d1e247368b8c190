// edition: ES2019
// feature: Well-formed JSON.stringify and stable sort
// checks: lone surrogates escaped by JSON.stringify; Array.prototype.sort is stable
export function run(input) {
  if (JSON.stringify("\uD800") !== '"\\ud800"') return "lone surrogate not escaped: " + JSON.stringify("\uD800");
  if (JSON.stringify("😀") !== '"😀"') return "pair escaped";
  const items = [];
  for (let i = 0; i < 40; i++) items.push({ k: i % 3, i });
  items.sort((a, b) => a.k - b.k);
  for (let j = 1; j < items.length; j++) {
    if (items[j - 1].k === items[j].k && items[j - 1].i > items[j].i) return "sort is not stable";
  }
  return "ok";
}
