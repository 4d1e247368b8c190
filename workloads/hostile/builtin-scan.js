// Hostile: a loop inside a builtin that allocates nothing. indexOf on an
// array-like object of length 2^53-1 visits every index; the loop runs in
// the engine's native code, where some engines do not look for interrupts.
export function run(input) {
  const arrayLike = { length: Number.MAX_SAFE_INTEGER };
  return String(Array.prototype.indexOf.call(arrayLike, input));
}
