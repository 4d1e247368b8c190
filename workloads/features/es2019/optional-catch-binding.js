// edition: ES2019
// feature: Optional catch binding
// checks: catch without a parameter
export function run(input) {
  let caught = false;
  try { throw 1; } catch { caught = true; }
  return caught ? "ok" : "catch block did not run";
}
