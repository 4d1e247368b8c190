// Splay-tree churn: a self-adjusting binary search tree (top-down splaying,
// Sleator & Tarjan) holding small payload objects; each step inserts a fresh
// random key and removes the nearest existing key, so old nodes and payloads
// keep dying while a large tree stays live: a workout for generational GC.
// Input: "<tree size>x<churn steps>". Output: "<size>:<key checksum>:<payload checksum>".
class Node {
  constructor(key, value) { this.key = key; this.value = value; this.left = null; this.right = null; }
}

class SplayTree {
  constructor() { this.root = null; this.size = 0; }

  // top-down splay: afterwards the root is the node with `key`, or the last
  // node on the search path
  splay(key) {
    if (this.root === null) return;
    const header = new Node(0, null);
    let left = header, right = header, t = this.root;
    for (;;) {
      if (key < t.key) {
        if (t.left === null) break;
        if (key < t.left.key) { // rotate right
          const y = t.left; t.left = y.right; y.right = t; t = y;
          if (t.left === null) break;
        }
        right.left = t; right = t; t = t.left; // link right
      } else if (key > t.key) {
        if (t.right === null) break;
        if (key > t.right.key) { // rotate left
          const y = t.right; t.right = y.left; y.left = t; t = y;
          if (t.right === null) break;
        }
        left.right = t; left = t; t = t.right; // link left
      } else break;
    }
    left.right = t.left; right.left = t.right;
    t.left = header.right; t.right = header.left;
    this.root = t;
  }

  insert(key, value) {
    if (this.root === null) { this.root = new Node(key, value); this.size = 1; return true; }
    this.splay(key);
    const r = this.root;
    if (r.key === key) return false;
    const n = new Node(key, value);
    if (key > r.key) { n.left = r; n.right = r.right; r.right = null; }
    else { n.right = r; n.left = r.left; r.left = null; }
    this.root = n;
    this.size++;
    return true;
  }

  // remove the root's key after splaying for `key` (the nearest key); returns it
  removeNear(key) {
    this.splay(key);
    const r = this.root;
    if (r.left === null) this.root = r.right;
    else {
      const right = r.right;
      this.root = r.left;
      this.splay(key); // max of the left subtree comes to the root
      this.root.right = right;
    }
    this.size--;
    return r;
  }
}

function payload(key, depth) {
  if (depth === 0) return { tag: 'leaf-' + (key % 1000), items: [key & 255, (key >>> 8) & 255, key >>> 16] };
  return { left: payload(key, depth - 1), right: payload(key ^ 0x5555, depth - 1) };
}

function payloadSum(p) {
  if (p.items !== undefined) return p.items[0] + p.items[1] + p.items[2] + p.tag.length;
  return payloadSum(p.left) + payloadSum(p.right);
}

export function run(input) {
  const m = /^(\d+)x(\d+)$/.exec(input);
  if (!m) throw new Error('splay: input must be <size>x<steps>');
  const target = parseInt(m[1], 10), steps = parseInt(m[2], 10);
  let seed = 0x1234567;
  const next = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 8; };
  const tree = new SplayTree();
  while (tree.size < target) { const k = next(); tree.insert(k, payload(k, 2)); }
  let removedSum = 0;
  for (let i = 0; i < steps; i++) {
    let k = next();
    while (!tree.insert(k, payload(k, 2))) k = next();
    const gone = tree.removeNear(next());
    removedSum = (removedSum + payloadSum(gone.value)) % 1000000007;
  }
  // iterative in-order walk: keys must come out strictly increasing
  let keySum = 0, count = 0, prev = -1;
  const stack = [];
  let n = tree.root;
  while (n !== null || stack.length > 0) {
    while (n !== null) { stack.push(n); n = n.left; }
    n = stack.pop();
    if (n.key <= prev) throw new Error('splay: tree out of order');
    prev = n.key;
    keySum = (Math.imul(keySum, 31) + n.key) >>> 0;
    count++;
    n = n.right;
  }
  if (count !== tree.size) throw new Error('splay: size mismatch');
  return count + ':' + keySum + ':' + removedSum;
}
