// Hostile: a valid module that exports no `run`. Expects `exception` when
// the module is loaded (or prepared), naming the missing export.
export function walk(input) {
  return input;
}
