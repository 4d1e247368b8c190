// Recursive Fibonacci: function-call overhead and small-integer arithmetic.
// Input: n (decimal). Output: fib(n) in decimal. Recursion depth is n.
function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export function run(input) {
  const n = parseInt(input, 10);
  if (!(n >= 0 && n <= 60)) throw new Error('fib: n out of range: ' + input);
  return String(fib(n));
}
