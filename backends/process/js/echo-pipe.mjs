// jsbench transport floor: the runtime's own minimal pipe echo. The frames
// of server-pipe.mjs (a 4-byte big-endian length, then an operation byte
// and the payload) answered at once with 'O' and the same payload: no
// module, no jsbench protocol, no queue. Runs unchanged on Node.js, Deno
// and Bun. It writes one empty 'O' frame when ready and exits when its
// stdin closes.

import process from "node:process";
import { Buffer } from "node:buffer";

function reply(payload) {
  const frame = Buffer.allocUnsafe(5 + payload.length);
  frame.writeUInt32BE(payload.length + 1, 0);
  frame[4] = 0x4f; // 'O'
  payload.copy(frame, 5);
  process.stdout.write(frame);
}

let pending = Buffer.alloc(0);
process.stdin.on("data", (chunk) => {
  pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
  while (pending.length >= 4) {
    const length = pending.readUInt32BE(0);
    if (pending.length < 4 + length) return;
    reply(pending.subarray(5, 4 + length));
    pending = pending.subarray(4 + length);
  }
});
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
reply(Buffer.alloc(0));
