// Parses YAML with js-yaml and returns the document as JSON.
import { load } from "js-yaml";

export function run(input) {
  return JSON.stringify(load(input));
}
