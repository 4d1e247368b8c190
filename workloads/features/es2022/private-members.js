// edition: ES2022
// feature: Private fields and methods
// checks: #fields, #methods, static privates, #x in obj brand checks
class Counter {
  #count = 0;
  static #made = 0;
  constructor() { Counter.#made++; }
  #step() { return 1; }
  get #double() { return this.#count * 2; }
  inc() { this.#count += this.#step(); return this.#double; }
  static made() { return Counter.#made; }
  static isCounter(o) { return #count in o; }
}
export function run(input) {
  const c = new Counter();
  c.inc();
  if (c.inc() !== 4) return "private field and accessor";
  if (Counter.made() !== 1) return "static private";
  if (!Counter.isCounter(c) || Counter.isCounter({})) return "#x in obj";
  if (Object.keys(c).length !== 0) return "private fields are visible as properties";
  return "ok";
}
