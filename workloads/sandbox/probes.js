// jsbench sandbox probes: what JavaScript on a backend can reach on the
// host. One module for every probe (so the WebAssembly backend builds one
// component); the input is JSON naming the probe and the host's targets:
//   { "probe": "file-read", "file": "/tmp/…/secret", "marker": "/tmp/…/m",
//     "token": "…", "env": "HOME", "port": 40000, "bomb_mib": 512 }
// `run` returns JSON, at most 200 characters:
//   { "api": null, "tried": "…" }            no API for it here (absent)
//   { "api": "fs.readFileSync", "error": "…" } the API refused
//   { "api": "fs.readFileSync", "value": "…" } the API answered
// The host decides `allowed` only from what it sees itself (the file's
// contents, its listener's connections, the marker file, the process that
// ended, …), never from the probe's word. Everything happens inside `run`:
// the top level must not touch the host (some backends run it at build
// time).

const g = globalThis;

const short = (text, n) => String(text).slice(0, n);

function describe(error) {
  try {
    const name = error && (error.code || error.name);
    const message = error && error.message !== undefined ? error.message : error;
    return short((name ? name + ": " : "") + message, 110);
  } catch {
    return "an unprintable error";
  }
}

const absent = (tried) => JSON.stringify({ api: null, tried });
const refused = (api, error) => JSON.stringify({ api, error: describe(error) });
const answered = (api, value) => JSON.stringify({ api, value: short(value, 120) });

// Node's built-in modules where the runtime has them: process.getBuiltinModule
// (Node 20.16+, Deno 2, Bun), then require. (No dynamic `import()`: where
// the host gives no module loader, some engines trap on it.)
async function builtin(name) {
  try {
    const found = g.process && typeof g.process.getBuiltinModule === "function" && g.process.getBuiltinModule(name);
    if (found) return found;
  } catch {}
  try {
    if (typeof g.require === "function") return g.require(name);
  } catch {}
  return null;
}

// Tries each [api, available, act] in order; the first available one decides.
async function attempt(tried, ways) {
  for (const [api, available, act] of ways) {
    let here = false;
    try {
      here = await available();
    } catch {}
    if (!here) continue;
    try {
      return answered(api, await act());
    } catch (error) {
      return refused(api, error);
    }
  }
  return absent(tried);
}

const deno = () => g.Deno;
const bun = () => g.Bun;

const probes = {
  async "file-read"(t) {
    const fs = await builtin("fs");
    return attempt("Deno, node:fs, Bun.file, QuickJS std", [
      ["Deno.readTextFileSync", () => deno() && deno().readTextFileSync, () => deno().readTextFileSync(t.file)],
      ["fs.readFileSync", () => fs && fs.readFileSync, () => fs.readFileSync(t.file, "utf8")],
      ["Bun.file", () => bun() && bun().file, () => bun().file(t.file).text()],
      ["std.loadFile", () => g.std && g.std.loadFile, () => g.std.loadFile(t.file)],
    ]);
  },

  async "file-write"(t) {
    const fs = await builtin("fs");
    return attempt("Deno, node:fs, Bun.write, QuickJS std", [
      ["Deno.writeTextFileSync", () => deno() && deno().writeTextFileSync, () => (deno().writeTextFileSync(t.marker, t.token), "written")],
      ["fs.writeFileSync", () => fs && fs.writeFileSync, () => (fs.writeFileSync(t.marker, t.token), "written")],
      ["Bun.write", () => bun() && bun().write, async () => (await bun().write(t.marker, t.token), "written")],
    ]);
  },

  async env(t) {
    return attempt("Deno.env, process.env, QuickJS std.getenv", [
      ["Deno.env.get", () => deno() && deno().env, () => deno().env.get(t.env)],
      ["process.env", () => g.process && g.process.env, () => g.process.env[t.env]],
      ["std.getenv", () => g.std && g.std.getenv, () => g.std.getenv(t.env)],
    ]);
  },

  async network(t) {
    const net = await builtin("net");
    return attempt("Deno.connect, node:net, fetch", [
      ["Deno.connect", () => deno() && deno().connect, async () => {
        const conn = await deno().connect({ hostname: "127.0.0.1", port: t.port });
        conn.close();
        return "connected";
      }],
      ["net.connect", () => net && net.connect, () => new Promise((resolve, reject) => {
        const socket = net.connect(t.port, "127.0.0.1", () => {
          socket.end();
          resolve("connected");
        });
        socket.on("error", reject);
      })],
      ["fetch", () => typeof g.fetch === "function", async () => {
        const response = await g.fetch(`http://127.0.0.1:${t.port}/`);
        return "HTTP " + response.status;
      }],
    ]);
  },

  async spawn(t) {
    const child = await builtin("child_process");
    const script = `echo spawned > '${t.marker}'`;
    return attempt("Deno.Command, node:child_process, Bun.spawnSync, QuickJS os.exec", [
      ["Deno.Command", () => deno() && deno().Command, () => {
        new (deno().Command)("/bin/sh", { args: ["-c", script] }).outputSync();
        return "ran /bin/sh";
      }],
      ["child_process.execFileSync", () => child && child.execFileSync, () => {
        child.execFileSync("/bin/sh", ["-c", script]);
        return "ran /bin/sh";
      }],
      ["Bun.spawnSync", () => bun() && bun().spawnSync, () => {
        bun().spawnSync(["/bin/sh", "-c", script]);
        return "ran /bin/sh";
      }],
      ["os.exec", () => g.os && g.os.exec, () => (g.os.exec(["/bin/sh", "-c", script]), "ran /bin/sh")],
    ]);
  },

  async exit() {
    // Only returns when the exit did not happen.
    return attempt("Deno.exit, process.exit, QuickJS std.exit", [
      ["Deno.exit", () => deno() && deno().exit, () => (deno().exit(71), "exit returned")],
      ["process.exit", () => g.process && g.process.exit, () => (g.process.exit(71), "exit returned")],
      ["std.exit", () => g.std && g.std.exit, () => (g.std.exit(71), "exit returned")],
    ]);
  },

  async clock() {
    // The smallest step the finest clock takes, over a few thousand reads.
    const finest = (read) => {
      let step = Infinity;
      let last = read();
      for (let i = 0; i < 20000; i++) {
        const now = read();
        if (now > last && now - last < step) step = now - last;
        last = now;
      }
      return step === Infinity ? null : step;
    };
    let step = null;
    let source = "Date.now";
    try {
      if (g.performance && typeof g.performance.now === "function") {
        step = finest(() => g.performance.now());
        source = "performance.now";
      }
    } catch (error) {
      source = "performance.now threw " + describe(error).slice(0, 40);
    }
    let now;
    try {
      now = Date.now();
    } catch (error) {
      return refused("Date.now", error);
    }
    if (step === null && source === "Date.now") step = finest(() => Date.now());
    return JSON.stringify({ api: "Date.now", value: String(now), step, source });
  },

  async random() {
    const values = [Math.random(), Math.random(), Math.random()].map((v) => v.toFixed(12));
    const crypto = g.crypto && typeof g.crypto.getRandomValues === "function" ? "crypto.getRandomValues" : "no crypto";
    return JSON.stringify({ api: "Math.random", value: values.join(","), crypto });
  },

  async "memory-heap"(t) {
    // Live JavaScript arrays of doubles, 1 MiB each, until bomb_mib.
    const keep = [];
    for (let mib = 0; mib < t.bomb_mib; mib++) keep.push(new Array(131072).fill(mib + 0.5));
    return answered("Array", `kept ${keep.length} MiB of arrays`);
  },

  async "memory-buffers"(t) {
    // Typed arrays (memory outside the garbage-collected heap in many
    // engines), 16 MiB each and every page touched, until bomb_mib.
    if (typeof Uint8Array !== "function") return absent("Uint8Array");
    const keep = [];
    for (let mib = 0; mib < t.bomb_mib; mib += 16) keep.push(new Uint8Array(16 << 20).fill(1));
    return answered("Uint8Array", `kept ${keep.length * 16} MiB of typed arrays`);
  },

  async "time-limit"() {
    for (;;) {}
  },
};

export async function run(input) {
  const target = JSON.parse(input);
  const probe = probes[target.probe];
  if (!probe) throw new Error(`no probe called ${target.probe}`);
  return probe(target);
}
