// Formats JavaScript with Prettier's standalone build and its Babel
// parser. `format` returns a Promise.
import { format } from "prettier/standalone";
import * as babel from "prettier/plugins/babel";
import * as estree from "prettier/plugins/estree";

export async function run(input) {
  return format(input, { parser: "babel", plugins: [babel, estree] });
}
