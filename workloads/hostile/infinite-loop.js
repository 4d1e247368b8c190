// Hostile: a call that never returns. Every backend must stop it at the
// per-call timeout (engines that cannot interrupt JavaScript are ended by
// the worker's watchdog) and report `timeout`.
export function run(input) {
  let n = 0;
  while (input !== 'never') {
    n = (n + 1) | 0;
  }
  return String(n);
}
