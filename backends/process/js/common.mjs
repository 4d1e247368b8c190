// Shared by the jsbench out-of-process servers (server-http.mjs and
// server-pipe.mjs). Written against the `node:` built-ins that Node.js, Deno
// and Bun all provide, so the same file runs unchanged on the three.
//
// Every operation answers with `{ ok: true, value }` or
// `{ ok: false, kind, message, stack }`, where `kind` is one of `syntax`
// (the module did not parse or link), `exception` (JavaScript threw),
// `result` (`run` returned something other than a string) and `protocol`
// (the request itself was wrong). The Rust side maps these to BackendError.

import process from "node:process";
import { pathToFileURL } from "node:url";

// Intrinsics the servers use after a workload has run, captured before any
// workload loads: a workload (a test262 test, say) may replace
// `Array.prototype.push`, `JSON.stringify` or `Promise.prototype.then` in
// the realm it shares with the server, and the server must keep working.
const uncurry = (method) => Function.prototype.call.bind(method);
/** `Array.prototype.push`, as `push(array, value)`. */
export const push = uncurry(Array.prototype.push);
/** `Array.prototype.shift`, as `shift(array)`. */
export const shift = uncurry(Array.prototype.shift);
/** `JSON.stringify` as it was before any workload ran. */
export const stringify = JSON.stringify;
const toString = uncurry(Object.prototype.toString);
const OriginalString = String;

// The Rust side prefixes every workload module with an assignment to this
// global, so a failed import tells a parse or link error (the flag is still
// false: nothing ran) from a throw during evaluation (the flag is true).
const STARTED = "__jsbench_evaluation_started";

// Workloads must not print, and stdout may carry the protocol: route any
// console output to stderr so it can never corrupt a reply.
for (const method of ["log", "info", "debug", "trace", "dir", "table"]) {
  console[method] = (...args) => console.error(...args);
}

let run = null;

function describe(kind, error) {
  let message;
  let stack = null;
  try {
    message = OriginalString(error);
    if (error !== null && typeof error === "object" && typeof error.stack === "string") {
      stack = error.stack;
    }
  } catch {
    message = toString(error);
  }
  return { ok: false, kind, message, stack };
}

/** Imports the workload module at `path` and keeps its `run` export. */
export async function load(path) {
  run = null;
  globalThis[STARTED] = false;
  let namespace;
  try {
    namespace = await import(pathToFileURL(path).href);
  } catch (error) {
    if (globalThis[STARTED] === true) return describe("exception", error);
    const reply = describe("syntax", error);
    // Bun keeps the location of a parse error apart from its message.
    const at = error !== null && typeof error === "object" ? error.position : undefined;
    if (at && typeof at.line === "number") {
      reply.message += ` at ${at.file ?? path}:${at.line}:${at.column ?? 0}`;
    }
    return reply;
  }
  if (typeof namespace.run !== "function") {
    return { ok: false, kind: "exception", message: "the module does not export a function `run`", stack: null };
  }
  run = namespace.run;
  return { ok: true, value: "" };
}

/** Calls `run(input)`, settling a returned Promise. */
export async function call(input) {
  if (run === null) {
    return { ok: false, kind: "protocol", message: "call before a successful load", stack: null };
  }
  let result;
  try {
    result = await run(input);
  } catch (error) {
    return describe("exception", error);
  }
  if (typeof result !== "string") {
    const type = result === null ? "null" : typeof result;
    return { ok: false, kind: "result", message: `run returned ${type}, not a string`, stack: null };
  }
  return { ok: true, value: result };
}

/** Does nothing: the empty round trip. */
export function noop() {
  return { ok: true, value: "" };
}

/**
 * Ends the process when the harness goes away (its end of stdin closes), so
 * a child never outlives a harness that was stopped without cleaning up.
 */
export function exitWithParent() {
  process.stdin.on("end", () => process.exit(0));
  process.stdin.on("error", () => process.exit(0));
  process.stdin.resume();
}
