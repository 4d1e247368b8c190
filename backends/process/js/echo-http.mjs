// jsbench transport floor: the runtime's own minimal HTTP echo. The same
// server API as server-http.mjs (Deno.serve, Bun.serve or node:http), with
// no module, no jsbench protocol and nothing from common.mjs: it answers
// every request with its body. Runs unchanged on Node.js, Deno and Bun.
// It prints its port on stdout and exits when its stdin closes.

import process from "node:process";

function ready(port) {
  process.stdout.write(`${port}\n`);
}

if (typeof Deno !== "undefined") {
  Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => ready(port) }, async (request) =>
    new Response(await request.text(), { headers: { "content-type": "text/plain; charset=utf-8" } }));
} else if (typeof Bun !== "undefined") {
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    fetch: async (request) =>
      new Response(await request.text(), { headers: { "content-type": "text/plain; charset=utf-8" } }),
  });
  ready(server.port);
} else {
  const http = await import("node:http");
  const { Buffer } = await import("node:buffer");
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const bytes = Buffer.concat(chunks);
      response.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": bytes.length });
      response.end(bytes);
    });
  });
  server.keepAliveTimeout = 0;
  server.requestTimeout = 0;
  server.listen(0, "127.0.0.1", () => ready(server.address().port));
}

process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
