#!/usr/bin/env jsbench
// edition: ES2023
// feature: Hashbang comments
// checks: a #! line at the very start of a module
export function run(input) {
  return "ok";
}
