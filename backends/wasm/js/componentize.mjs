// Compiles one jsbench workload (an ES module exporting `run`) to a
// WebAssembly component with ComponentizeJS, for the jsbench-wasm backend.
//
// Usage: node componentize.mjs <source.mjs> <wit path> <world name> <out.wasm>
//
// Exit status: 0 done; 2 usage; 3 the source is not valid JavaScript;
// 4 the module is not a usable workload (no `run` export, or its top level
// threw); 1 anything else. The reason is printed on stderr.
//
// The component is written to <out.wasm> as given: the Rust side passes a
// temporary name and renames it into its cache, so a crash here never leaves
// a partial file under the final name.
import { componentize } from '@bytecodealliance/componentize-js';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

// The component's entry: the workload's `run`, its string result encoded
// to UTF-8 by the engine's native TextEncoder and returned as bytes (the
// world's `list<u8>`), which the generated bindings copy in one go. A
// `string` result would go through the bindings' per-character length
// loop, interpreted JavaScript (see wit/workload.wit). A result that is not
// a string is refused with the message those bindings give.
const entrySource = (name) => `import { run as workloadRun } from ${JSON.stringify(`./${name}`)};
const encoder = new TextEncoder();
export async function run(input) {
  const result = await workloadRun(input);
  if (typeof result !== 'string') {
    throw new TypeError('expected a string, received [' + typeof result + ']');
  }
  return encoder.encode(result);
}
`;

const args = process.argv.slice(2);
if (args.length !== 4) {
  process.stderr.write(
    'usage: node componentize.mjs <source.mjs> <wit path> <world name> <out.wasm>\n',
  );
  process.exit(2);
}
const [sourcePath, witPath, worldName, outPath] = args.map((a, i) => (i === 2 ? a : resolve(a)));

// ComponentizeJS only says "failed to parse JS source, encountered [1]
// errors"; Node's own check gives the message and the location.
const check = spawnSync(process.execPath, ['--check', sourcePath], { encoding: 'utf8' });
if (check.status !== 0) {
  const message = (check.stderr || '').split(sourcePath).join(basename(sourcePath)).trim();
  process.stderr.write(`${message || 'syntax error'}\n`);
  process.exit(3);
}

// The module keeps its own file name (messages and stacks name it), in a
// scratch folder beside the entry that imports it.
const work = await mkdtemp(join(tmpdir(), 'jsbench-componentize-'));
const moduleName = basename(sourcePath);
const entryPath = join(work, moduleName === 'jsbench-entry.mjs' ? 'jsbench-entry-0.mjs' : 'jsbench-entry.mjs');
await copyFile(sourcePath, join(work, moduleName));
await writeFile(entryPath, entrySource(moduleName));

try {
  const { component } = await componentize({
    sourcePath: entryPath,
    witPath,
    worldName,
    // Workloads use only ECMAScript built-ins (workloads/FORMAT.md), so the
    // engine's WASI-backed features are left out: a smaller component with
    // fewer imports. `stdio` stays: StarlingMonkey reports an uncaught
    // exception on stderr, where the host reads its message and stack.
    disableFeatures: ['random', 'clocks', 'http', 'fetch-event'],
  });
  await writeFile(outPath, component);
} catch (err) {
  const text = String(err && err.message ? err.message : err);
  process.stderr.write(`${text}\n`);
  const moduleFault = /does not export|Failed to initialize component/.test(text);
  process.exitCode = moduleFault ? 4 : 1;
} finally {
  await rm(work, { recursive: true, force: true });
}
