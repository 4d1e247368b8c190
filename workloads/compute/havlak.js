// Loop-nest analysis on a generated control-flow graph using Havlak's
// algorithm ("Nesting of reducible and irreducible loops", TOPLAS 1997):
// depth-first numbering, back-edge classification, union-find collapsing of
// loop bodies from the innermost header outwards, and a loop-nesting forest.
// The CFG is generated from a seeded PRNG as nested while/do-while loops,
// if/else diamonds, self loops and two-entry (irreducible) cycles, so the
// expected number of loops is known and checked.
// Input: "<top-level pieces>" or "<pieces>x<repetitions>".
// Output: "<loops>:<irreducible>:<max depth>:<checksum>".

class Block {
  constructor(id) { this.id = id; this.succ = []; this.pred = []; }
}

class Loop {
  constructor(header, kind) {
    this.header = header; // Block
    this.kind = kind;     // 'self' | 'reducible' | 'irreducible'
    this.parent = null;
    this.blocks = [];     // blocks directly in this loop (not in a child loop)
    this.children = [];
  }
}

class Graph {
  constructor() { this.blocks = []; }
  block() { const b = new Block(this.blocks.length); this.blocks.push(b); return b; }
  edge(a, b) { a.succ.push(b); b.pred.push(a); }
}

function makeRng(seed) {
  let s = seed | 0;
  return (n) => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return (s >>> 0) % n;
  };
}

// Append a random structured region after `cur`; returns its exit block.
function region(g, rng, cur, depth, pieces, counts) {
  for (let p = 0; p < pieces; p++) {
    const choice = depth >= 4 ? rng(2) : rng(7);
    if (choice === 0) { // straight line
      const len = 1 + rng(3);
      for (let i = 0; i < len; i++) { const b = g.block(); g.edge(cur, b); cur = b; }
    } else if (choice === 1) { // if/else diamond
      const a = g.block(), b = g.block(), join = g.block();
      g.edge(cur, a); g.edge(cur, b);
      const ea = depth < 4 && rng(3) === 0 ? region(g, rng, a, depth + 1, 1 + rng(2), counts) : a;
      g.edge(ea, join); g.edge(b, join);
      cur = join;
    } else if (choice === 2 || choice === 3) { // while loop: header tests, body, back edge
      const header = g.block(), bodyStart = g.block(), exit = g.block();
      g.edge(cur, header); g.edge(header, bodyStart); g.edge(header, exit);
      const bodyEnd = region(g, rng, bodyStart, depth + 1, 1 + rng(3), counts);
      g.edge(bodyEnd, header);
      if (rng(4) === 0) g.edge(bodyStart, exit); // a `break`
      counts.loops++;
      cur = exit;
    } else if (choice === 4) { // do-while: body then latch
      const header = g.block();
      g.edge(cur, header);
      const bodyEnd = region(g, rng, header, depth + 1, 1 + rng(2), counts);
      const latch = g.block(), exit = g.block();
      g.edge(bodyEnd, latch); g.edge(latch, header); g.edge(latch, exit);
      counts.loops++;
      cur = exit;
    } else if (choice === 5) { // self loop
      const b = g.block(), exit = g.block();
      g.edge(cur, b); g.edge(b, b); g.edge(b, exit);
      counts.loops++;
      cur = exit;
    } else { // two-entry cycle: irreducible
      const x = g.block(), y = g.block(), exit = g.block();
      g.edge(cur, x); g.edge(cur, y); g.edge(x, y); g.edge(y, x); g.edge(x, exit);
      counts.loops++;
      counts.irreducible++;
      cur = exit;
    }
  }
  return cur;
}

function buildGraph(pieces, seed) {
  const g = new Graph();
  const rng = makeRng(seed);
  const counts = { loops: 0, irreducible: 0 };
  const entry = g.block();
  const exit = region(g, rng, entry, 0, pieces, counts);
  g.edge(exit, g.block());
  return { g, counts };
}

// union-find over DFS numbers
function find(uf, x) {
  let r = x;
  while (uf[r] !== r) r = uf[r];
  while (uf[x] !== r) { const n = uf[x]; uf[x] = r; x = n; }
  return r;
}

function findLoops(g) {
  const n = g.blocks.length;
  const UNVISITED = -1;
  const number = new Int32Array(n).fill(UNVISITED); // block id -> preorder number
  const nodes = new Array(n);                          // preorder number -> block
  const last = new Int32Array(n);                     // preorder number -> last descendant
  // iterative depth-first search from the entry block
  let count = 0;
  const stack = [g.blocks[0]];
  const edgeIdx = [0];
  number[0] = count; nodes[count++] = g.blocks[0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const b = stack[top];
    if (edgeIdx[top] < b.succ.length) {
      const s = b.succ[edgeIdx[top]++];
      if (number[s.id] === UNVISITED) {
        number[s.id] = count; nodes[count++] = s;
        stack.push(s); edgeIdx.push(0);
      }
    } else {
      last[number[b.id]] = count - 1;
      stack.pop(); edgeIdx.pop();
    }
  }
  const reached = count;
  const isAncestor = (w, v) => w <= v && v <= last[w];

  const backPreds = new Array(reached);
  const otherPreds = new Array(reached);
  const type = new Array(reached);
  const uf = new Int32Array(reached);
  const loopOf = new Array(reached).fill(null);
  for (let w = 0; w < reached; w++) {
    backPreds[w] = [];
    otherPreds[w] = [];
    type[w] = 'none';
    uf[w] = w;
    for (const p of nodes[w].pred) {
      const v = number[p.id];
      if (v === UNVISITED) continue; // edge from unreachable code
      if (isAncestor(w, v)) backPreds[w].push(v); else otherPreds[w].push(v);
    }
  }

  const loops = [];
  const inPool = new Uint8Array(reached);
  for (let w = reached - 1; w >= 0; w--) {
    const pool = [];
    for (const v of backPreds[w]) {
      if (v === w) { type[w] = 'self'; continue; }
      const r = find(uf, v);
      if (!inPool[r]) { inPool[r] = 1; pool.push(r); }
    }
    if (pool.length > 0) type[w] = 'reducible';
    const work = pool.slice();
    while (work.length > 0) {
      const x = work.pop();
      const preds = otherPreds[x];
      for (let i = 0; i < preds.length; i++) {
        const yd = find(uf, preds[i]);
        if (!isAncestor(w, yd)) {
          type[w] = 'irreducible';
          otherPreds[w].push(yd);
        } else if (yd !== w && !inPool[yd]) {
          inPool[yd] = 1;
          pool.push(yd);
          work.push(yd);
        }
      }
    }
    if (pool.length > 0 || type[w] === 'self') {
      const loop = new Loop(nodes[w], type[w]);
      loop.blocks.push(nodes[w]);
      loopOf[w] = loop;
      loops.push(loop);
      for (const x of pool) {
        inPool[x] = 0;
        uf[x] = w;
        const inner = loopOf[x];
        if (inner !== null) { inner.parent = loop; loop.children.push(inner); }
        else loop.blocks.push(nodes[x]);
      }
    }
  }
  return loops;
}

function analyse(g) {
  const loops = findLoops(g);
  let irreducible = 0, maxDepth = 0, check = 0;
  for (const loop of loops) {
    if (loop.kind === 'irreducible') irreducible++;
    let depth = 1;
    for (let p = loop.parent; p !== null; p = p.parent) depth++;
    if (depth > maxDepth) maxDepth = depth;
    check = (Math.imul(check, 31) + loop.header.id * depth + loop.blocks.length * 7 + loop.children.length) >>> 0;
  }
  return { loops: loops.length, irreducible, maxDepth, check };
}

export function run(input) {
  const parts = input.split('x');
  const pieces = parseInt(parts[0], 10);
  const reps = parts.length > 1 ? parseInt(parts[1], 10) : 1;
  if (!(pieces >= 1 && reps >= 1)) throw new Error('havlak: bad input ' + input);
  const { g, counts } = buildGraph(pieces, 0x5eed1);
  let r = null;
  for (let i = 0; i < reps; i++) r = analyse(g);
  if (r.loops !== counts.loops || r.irreducible !== counts.irreducible) {
    throw new Error('havlak: found ' + r.loops + '/' + r.irreducible + ' loops, generated ' + counts.loops + '/' + counts.irreducible);
  }
  return r.loops + ':' + r.irreducible + ':' + r.maxDepth + ':' + r.check;
}
