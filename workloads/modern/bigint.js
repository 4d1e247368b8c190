// BigInt arithmetic: digits of pi with Machin's formula in fixed point
// (pi = 16 atan(1/5) - 4 atan(1/239)), a factorial, modular exponentiation
// by squaring and a Fibonacci number by fast doubling.
// Input: number of decimal digits. Output: "<last 10 digits of pi>:<digit sum of pi>:<fact digits>:<modpow>:<fib mod>".
function arctanInv(x, unity) {
  // atan(1/x) * unity = sum (-1)^k unity / ((2k+1) x^(2k+1))
  const xx = x * x;
  let power = unity / x;
  let sum = power;
  let k = 1n;
  let sign = -1n;
  while (power !== 0n) {
    power /= xx;
    sum += (sign * power) / (2n * k + 1n);
    sign = -sign;
    k++;
  }
  return sum;
}

function modpow(base, exp, mod) {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

// returns [F(n), F(n+1)] by fast doubling (iterative over the bits of n)
function fibPair(n) {
  let a = 0n, b = 1n;
  for (let bit = 31; bit >= 0; bit--) {
    const c = a * (2n * b - a);
    const d = a * a + b * b;
    if ((n >>> bit) & 1) { a = d; b = c + d; } else { a = c; b = d; }
  }
  return [a, b];
}

export function run(input) {
  const digits = parseInt(input, 10);
  if (!(digits >= 10)) throw new Error('bigint: need at least 10 digits');
  const guard = 10n ** 10n;
  const unity = 10n ** BigInt(digits) * guard;
  const pi = (16n * arctanInv(5n, unity) - 4n * arctanInv(239n, unity)) / guard;
  const piText = pi.toString(); // "31415..." with `digits` decimals
  let digitSum = 0;
  for (let i = 0; i < piText.length; i++) digitSum += piText.charCodeAt(i) - 48;
  let fact = 1n;
  for (let i = 2n; i <= BigInt(digits >> 1); i++) fact *= i;
  const mp = modpow(3n, BigInt(digits) * 1000003n, (1n << 127n) - 1n);
  const [f] = fibPair(digits * 10);
  const fibMod = f % 1000000007n;
  return piText.slice(-10) + ':' + digitSum + ':' + fact.toString().length + ':' + (mp % 1000000007n) + ':' + fibMod;
}
