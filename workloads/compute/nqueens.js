// N-queens: count every placement of N non-attacking queens with a bitmask
// backtracking search (recursion depth N).
// Input: N (decimal). Output: "<solutions>:<nodes visited>".
let nodes = 0;

function solve(all, cols, diag1, diag2) {
  nodes++;
  if (cols === all) return 1;
  let count = 0;
  let free = all & ~(cols | diag1 | diag2);
  while (free !== 0) {
    const bit = free & -free;
    free ^= bit;
    count += solve(all, cols | bit, ((diag1 | bit) << 1) & all, (diag2 | bit) >>> 1);
  }
  return count;
}

export function run(input) {
  const n = parseInt(input, 10);
  if (!(n >= 1 && n <= 16)) throw new Error('nqueens: bad N ' + input);
  nodes = 0;
  const all = (1 << n) - 1;
  const solutions = solve(all, 0, 0, 0);
  return solutions + ':' + nodes;
}
