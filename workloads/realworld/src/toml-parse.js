// Parses TOML (a Cargo.lock) with smol-toml and returns it as JSON.
import { parse } from "smol-toml";

export function run(input) {
  return JSON.stringify(parse(input));
}
