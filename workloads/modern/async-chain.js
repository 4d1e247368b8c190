// Promise/async chain: many awaits through nested async functions, promise
// chains built with then(), Promise.all over batches and async iteration of
// an async generator. Uses no host scheduling API (no setTimeout or
// queueMicrotask): everything settles through the engine's job queue.
// Input: number of steps. Output: "<awaits>:<checksum>".
let awaits = 0;

async function leaf(x) {
  awaits++;
  await null;
  return (Math.imul(x, 2654435761) >>> 16) & 1023;
}

async function middle(x) {
  const a = await leaf(x);
  awaits++;
  const b = await leaf(x + 1);
  awaits++;
  return a ^ b;
}

function chained(x) {
  return Promise.resolve(x)
    .then((v) => v + 1)
    .then((v) => middle(v))
    .then((v) => v * 3);
}

async function* ticker(n) {
  for (let i = 0; i < n; i++) {
    awaits++;
    yield await leaf(i);
  }
}

export async function run(input) {
  const steps = parseInt(input, 10);
  if (!(steps >= 1)) throw new Error('async-chain: bad steps ' + input);
  awaits = 0;
  let check = 0;
  for (let i = 0; i < steps; i++) {
    const v = await chained(i);
    awaits++;
    check = (Math.imul(check, 31) + v) >>> 0;
    if ((i & 15) === 15) {
      const batch = [];
      for (let j = 0; j < 8; j++) batch.push(middle(i * 8 + j));
      const results = await Promise.all(batch);
      awaits++;
      for (const r of results) check = (check + r) >>> 0;
    }
  }
  for await (const t of ticker(steps >> 2)) check = (Math.imul(check, 7) + t) >>> 0;
  return awaits + ':' + check;
}
