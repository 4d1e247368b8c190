// Sieve of Eratosthenes over a Uint8Array: tight loops and array stores.
// Input: limit N (decimal). Output: "<count of primes below N>:<sum of those primes mod 2^32>".
export function run(input) {
  const n = parseInt(input, 10);
  if (!(n >= 2)) throw new Error('sieve: bad limit ' + input);
  const composite = new Uint8Array(n);
  let count = 0;
  let sum = 0;
  for (let i = 2; i < n; i++) {
    if (composite[i] === 0) {
      count++;
      sum = (sum + i) >>> 0;
      for (let j = i * i; j < n; j += i) composite[j] = 1;
    }
  }
  return count + ':' + sum;
}
