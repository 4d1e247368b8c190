// Minifies JavaScript with terser (compress and mangle), the minifier of
// webpack and Vite. `minify` returns a Promise.
import { minify } from "terser";

export async function run(input) {
  const result = await minify(input, {
    module: true,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  return result.code;
}
