// Hostile: does not parse. Expects `syntax`, during load (or prepare, for
// backends that compile ahead).
export function run(input) {
  return input +;
}
