// Hostile: `new Array(2**31 - 1).fill(0)` — one builtin call asked to
// write two billion elements (16 GiB as doubles, 8 GiB as pointers). It
// must end at the memory limit or the timeout, whichever comes first,
// without taking anything else down.
export function run(input) {
  const a = new Array(2 ** 31 - 1).fill(0);
  return String(a.length + input.length);
}
