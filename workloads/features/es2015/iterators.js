// edition: ES2015
// feature: Iterators and for-of
// checks: custom iterables, for-of, iterator close on break
export function run(input) {
  let closed = false;
  const iterable = {
    [Symbol.iterator]() {
      let n = 0;
      return { next: () => ({ value: n++, done: n > 5 }), return() { closed = true; return { done: true }; } };
    },
  };
  const seen = [];
  for (const v of iterable) { if (v === 3) break; seen.push(v); }
  if (seen.join() !== "0,1,2") return "for-of gave " + seen.join();
  if (!closed) return "break did not call return()";
  const chars = [];
  for (const ch of "a😀") chars.push(ch);
  if (chars.length !== 2) return "string iteration is not by code point";
  return "ok";
}
