// Hostile: unbounded recursion. Engines turn a stack overflow into a
// catchable RangeError/InternalError, reported as `exception`.
function down(n) {
  return down(n + 1) + 1;
}

export function run(input) {
  return String(down(input.length));
}
