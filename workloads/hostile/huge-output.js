// Hostile: a 100 MiB result. Not an error: every backend must carry it back
// and the worker checks it by hash (the harness only ever sees small
// events), within the memory limit. Expects `ok`.
export function run(input) {
  const mib = parseInt(input, 10);
  return 'x'.repeat(mib * 1024 * 1024);
}
