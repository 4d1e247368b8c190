// Generators and the iterator protocol: a lazy pipeline of generator
// functions (range, map, filter, take, zip), yield* delegation in a
// recursive tree walk, a hand-written iterable class driven by for-of and
// spread, and destructuring from iterators.
// Input: number of items. Output: "<pipeline sum>:<tree sum>:<custom sum>:<checksum>".
function* range(start, end) { for (let i = start; i < end; i++) yield i; }
function* map(it, f) { for (const x of it) yield f(x); }
function* filter(it, p) { for (const x of it) if (p(x)) yield x; }
function* take(it, n) {
  if (n <= 0) return;
  for (const x of it) { yield x; if (--n <= 0) return; }
}
function* zip(a, b) {
  const ia = a[Symbol.iterator](), ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next(), y = ib.next();
    if (x.done || y.done) return;
    yield [x.value, y.value];
  }
}

// balanced tree of depth d (depth <= 12), walked with yield*
function tree(lo, hi) {
  if (lo > hi) return null;
  const mid = (lo + hi) >> 1;
  return { value: mid, left: tree(lo, mid - 1), right: tree(mid + 1, hi) };
}
function* inorder(t) {
  if (t === null) return;
  yield* inorder(t.left);
  yield t.value;
  yield* inorder(t.right);
}

class Fib {
  constructor(limit) { this.limit = limit; }
  [Symbol.iterator]() {
    let a = 0, b = 1, n = 0;
    const limit = this.limit;
    return {
      next() {
        if (n++ >= limit) return { done: true, value: undefined };
        const v = a;
        const t = (a + b) % 1000003;
        a = b; b = t;
        return { done: false, value: v };
      },
    };
  }
}

export function run(input) {
  const n = parseInt(input, 10);
  if (!(n >= 1)) throw new Error('generators: bad count ' + input);
  let pipeline = 0;
  const squares = map(filter(range(0, n * 4), (x) => x % 3 !== 0), (x) => (x * x) % 10007);
  for (const [i, sq] of zip(range(0, n * 4), take(squares, n))) pipeline = (pipeline + i * sq) % 1000000007;

  const t = tree(1, 1023);
  let treeSum = 0;
  const rounds = Math.max(1, n >> 9);
  for (let r = 0; r < rounds; r++) for (const v of inorder(t)) treeSum += v;

  const fibs = [...new Fib(Math.min(n, 5000))];
  let custom = 0;
  for (const f of new Fib(n)) custom = (custom + f) % 1000000007;
  const [first, second, third, ...rest] = new Fib(50);
  const check = (fibs.length * 31 + first + second + third + rest.length + fibs[fibs.length - 1]) >>> 0;
  return pipeline + ':' + treeSum + ':' + custom + ':' + check;
}
