// Hostile: `run` returns a number. Expects `exception` ("run returned
// number, expected a string") on the first call.
export function run(input) {
  return input.length;
}
