// jsbench out-of-process server, HTTP transport. Runs unchanged on Node.js,
// Deno and Bun; each runtime serves with its own native HTTP/1.1 server
// (node:http, Deno.serve, Bun.serve) so none pays for a compatibility layer.
//
// Listens on 127.0.0.1 on an ephemeral port and prints the port on stdout
// once it accepts connections. Endpoints (all POST, keep-alive):
//   /load  body: path of the workload module file
//   /call  body: the input string (UTF-8)
//   /noop  body: empty; answers at once without touching the workload
// Success is 200 with the result as the raw UTF-8 body (empty for /load and
// /noop); failure is 422 with a JSON error (see common.mjs).

import process from "node:process";
import { call, exitWithParent, load, noop, push, stringify } from "./common.mjs";

async function handle(path, body) {
  let reply;
  if (path === "/call") reply = await call(body);
  else if (path === "/noop") reply = noop();
  else if (path === "/load") reply = await load(body);
  else reply = { ok: false, kind: "protocol", message: `unknown endpoint ${path}`, stack: null };
  if (reply.ok) return { status: 200, type: "text/plain; charset=utf-8", body: reply.value };
  return { status: 422, type: "application/json", body: stringify(reply) };
}

function ready(port) {
  process.stdout.write(`${port}\n`);
}

async function fetchHandler(request) {
  const body = await request.text();
  const reply = await handle(new URL(request.url).pathname, body);
  return new Response(reply.body, { status: reply.status, headers: { "content-type": reply.type } });
}

if (typeof Deno !== "undefined") {
  Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => ready(port) }, fetchHandler);
} else if (typeof Bun !== "undefined") {
  // idleTimeout 0: keep idle keep-alive connections open between calls.
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch: fetchHandler });
  ready(server.port);
} else {
  const http = await import("node:http");
  const { Buffer } = await import("node:buffer");
  const server = http.createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) push(chunks, chunk);
    const url = request.url ?? "/";
    const reply = await handle(url, Buffer.concat(chunks).toString("utf8"));
    const bytes = Buffer.from(reply.body, "utf8");
    response.writeHead(reply.status, { "content-type": reply.type, "content-length": bytes.length });
    response.end(bytes);
  });
  // Calls may be far apart and long: never close an idle or slow connection.
  server.keepAliveTimeout = 0;
  server.requestTimeout = 0;
  server.listen(0, "127.0.0.1", () => ready(server.address().port));
}

exitWithParent();
