// edition: ES2022
// feature: Top-level await
// checks: await at module top level before run() is called
const value = await Promise.resolve(40).then((v) => v + 2);
export function run(input) {
  return value === 42 ? "ok" : "top-level await gave " + value;
}
