// jsbench out-of-process server, pipe transport. Runs unchanged on Node.js,
// Deno and Bun (node: built-ins only).
//
// Frames on stdin and stdout: a 4-byte big-endian length, then that many
// bytes: one operation byte and its payload.
//   request  'L' + module path | 'C' + input (UTF-8) | 'N' (empty round trip)
//   reply    'O' + result (UTF-8; empty for L and N) | 'E' + JSON error
// Requests are answered one at a time, in order. The child writes a single
// 'O' frame with an empty payload when it is ready.

import process from "node:process";
import { Buffer } from "node:buffer";
import { call, exitWithParent, load, noop, push, shift, stringify } from "./common.mjs";

const OK = 0x4f; // 'O'
const ERROR = 0x45; // 'E'

function send(status, text) {
  const payload = Buffer.from(text, "utf8");
  const frame = Buffer.allocUnsafe(5 + payload.length);
  frame.writeUInt32BE(payload.length + 1, 0);
  frame[4] = status;
  payload.copy(frame, 5);
  process.stdout.write(frame);
}

async function handle(frame) {
  const op = frame[0];
  const text = frame.subarray(1).toString("utf8");
  let reply;
  if (op === 0x43) reply = await call(text); // 'C'
  else if (op === 0x4e) reply = noop(); // 'N'
  else if (op === 0x4c) reply = await load(text); // 'L'
  else reply = { ok: false, kind: "protocol", message: `unknown operation ${op}`, stack: null };
  if (reply.ok) send(OK, reply.value);
  else send(ERROR, stringify(reply));
}

// Incoming bytes are kept as a list of chunks and joined once per frame, so
// a large input arriving in many chunks is copied once, not once per chunk.
let chunks = [];
let buffered = 0;
let need = -1;
// The last frame's handling; each frame waits for it with `await`, which
// settles through the engine, not through a replaceable `then`.
let queue = null;

function take(n) {
  buffered -= n;
  if (n === 0) return Buffer.alloc(0);
  const first = chunks[0];
  if (first.length >= n) {
    if (first.length === n) shift(chunks);
    else chunks[0] = first.subarray(n);
    return first.subarray(0, n);
  }
  const all = Buffer.concat(chunks);
  const rest = all.subarray(n);
  chunks = rest.length > 0 ? [rest] : [];
  return all.subarray(0, n);
}

process.stdin.on("data", (chunk) => {
  push(chunks, chunk);
  buffered += chunk.length;
  for (;;) {
    if (need < 0) {
      if (buffered < 4) return;
      need = take(4).readUInt32BE(0);
    }
    if (buffered < need) return;
    const frame = take(need);
    need = -1;
    const before = queue;
    queue = (async () => {
      await before;
      try {
        await handle(frame);
      } catch (error) {
        // Only the server's own failure lands here (a workload's is a
        // reply): the protocol cannot go on, so say why and exit.
        process.stderr.write(`jsbench server: ${error?.stack ?? error}\n`);
        process.exit(70);
      }
    })();
  }
});

exitWithParent();
send(OK, "");
