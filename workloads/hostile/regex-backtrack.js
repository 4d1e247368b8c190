// Hostile: catastrophic backtracking, a loop hidden inside the regex engine.
// /(a+)+$/ on 'aaaa…a!' tries every way to split the a's (2^n steps). An
// engine that checks for interrupts only between JavaScript instructions
// never gets the chance; the expected outcome is still `timeout`.
export function run(input) {
  const n = parseInt(input, 10);
  const text = 'a'.repeat(n) + '!';
  return String(/(a+)+$/.test(text));
}
