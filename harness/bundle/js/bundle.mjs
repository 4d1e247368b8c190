// Bundles one workload entry with its imports into one ES module for a
// neutral platform, with esbuild's JS API; called by harness/bundle.
//
// Usage: node bundle.mjs <request.json>
// The request: { entry, external: [..], define: {..}, minify }.
// Prints one JSON line on stdout: { ok: true, code, inputs, warnings, version }
// or { ok: false, kind: "builtin" | "resolve" | "build", errors: [..] }.
// Exit status 0 either way; anything else is a crash of this script.
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import * as esbuild from "esbuild";

const request = JSON.parse(readFileSync(process.argv[2], "utf8"));
const entry = path.resolve(request.entry);
const workingDir = path.dirname(entry);
const external = new Set(request.external ?? []);
const builtins = new Set(builtinModules);

const isBuiltin = (spec) =>
  spec.startsWith("node:") || builtins.has(spec) || builtins.has(spec.split("/")[0]);

// Who first imported each file, to name the import chain of a built-in.
const importedBy = new Map();
const shown = (file) => path.relative(workingDir, file) || file;
function chainTo(importer, spec) {
  const chain = [spec];
  let at = importer;
  const seen = new Set();
  while (at && !seen.has(at)) {
    seen.add(at);
    chain.unshift(shown(at));
    at = importedBy.get(at);
  }
  return chain.join(" -> ");
}

const builtinErrors = [];
const chainPlugin = {
  name: "jsbench-import-chain",
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.jsbenchInner || args.kind === "entry-point") return undefined;
      if (external.has(args.path)) return { path: args.path, external: true };
      if (isBuiltin(args.path)) {
        const chain = chainTo(args.importer, args.path);
        builtinErrors.push(chain);
        return {
          errors: [{ text: `imports the Node built-in "${args.path}" (import chain: ${chain})` }],
        };
      }
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        namespace: args.namespace,
        pluginData: { jsbenchInner: true },
      });
      if (resolved.errors.length === 0 && resolved.path && !importedBy.has(resolved.path)) {
        importedBy.set(resolved.path, args.importer);
      }
      if (resolved.errors.length > 0) return undefined;
      // Without our marker, which would otherwise reach this file's imports.
      const { path: file, namespace, external: isExternal, sideEffects, suffix } = resolved;
      return { path: file, namespace, external: isExternal, sideEffects, suffix };
    });
  },
};

function describe(message) {
  const where = message.location
    ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: `
    : "";
  return `${where}${message.text}`;
}

let result;
try {
  result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: workingDir,
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["module", "import", "default"],
    define: request.define ?? {},
    minify: Boolean(request.minify),
    logLevel: "silent",
    charset: "utf8",
    plugins: [chainPlugin],
  });
} catch (failure) {
  const errors = (failure.errors ?? [{ text: String(failure) }]).map(describe);
  const kind = builtinErrors.length > 0 ? "builtin" : errors.some((e) => e.includes("Could not resolve")) ? "resolve" : "build";
  console.log(JSON.stringify({ ok: false, kind, errors }));
  process.exit(0);
}

const inputs = Object.keys(result.metafile.inputs)
  .filter((file) => !file.includes(":"))
  .map((file) => path.resolve(workingDir, file));
console.log(
  JSON.stringify({
    ok: true,
    code: result.outputFiles[0].text,
    inputs,
    warnings: result.warnings.map(describe),
    version: esbuild.version,
  }),
);
