// Renders GitHub-flavoured Markdown to HTML with marked.
import { Marked } from "marked";

export function run(input) {
  const marked = new Marked({ gfm: true, async: false });
  return marked.parse(input);
}
