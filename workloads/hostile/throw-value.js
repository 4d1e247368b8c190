// Hostile: throws a value that is not an Error (no message, no stack).
// Expects `exception`, with the value shown in the message.
export function run(input) {
  throw { code: 42, input };
}
