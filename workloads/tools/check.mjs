#!/usr/bin/env node
// Checks every workload of the suite with Node (20+), following FORMAT.md:
// finds every *.toml manifest under workloads/, builds each size's input,
// imports the module, calls `run` (`calls` times per operation, awaiting
// Promises) and compares every output with `expected` / `expected_sha256`.
//
//   node workloads/tools/check.mjs                 check everything
//   node workloads/tools/check.mjs --print         also print name, size, output length,
//                                                  sha256 and time per operation/call
//   node workloads/tools/check.mjs --size small    only that size (repeatable)
//   node workloads/tools/check.mjs NAME...         only workloads whose name contains NAME
//
// Exit code 0 when every check passes, 1 otherwise.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname, relative, basename, extname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CATEGORIES = new Set(['compute', 'gc', 'strings', 'modern', 'embedding']);
const CAPABILITIES = new Set(['host_callback', 'host_value', 'promises']);
const KNOWN_KEYS = new Set(['name', 'category', 'description', 'module', 'inspired_by', 'requires', 'sizes']);
const SIZE_KEYS = new Set(['input', 'expected', 'expected_sha256', 'calls']);

// ---------------------------------------------------------------- TOML subset
// Enough TOML for the manifests: comments, bare/quoted keys, dotted keys,
// [tables], [[arrays of tables]], basic and literal strings (single line),
// integers, booleans, arrays and inline tables.
export function parseToml(text, file = '<toml>') {
  const root = {};
  let cur = root;
  let pos = 0;
  let line = 1;
  const fail = (msg) => { throw new Error(`${file}:${line}: ${msg}`); };
  const peek = () => text[pos];
  const skipWs = () => { while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t')) pos++; };
  const skipWsNl = () => {
    for (;;) {
      skipWs();
      if (text[pos] === '#') { while (pos < text.length && text[pos] !== '\n') pos++; }
      if (text[pos] === '\n') { pos++; line++; continue; }
      if (text[pos] === '\r' && text[pos + 1] === '\n') { pos += 2; line++; continue; }
      break;
    }
  };
  const endOfLine = () => {
    skipWs();
    if (text[pos] === '#') while (pos < text.length && text[pos] !== '\n') pos++;
    if (pos >= text.length) return;
    if (text[pos] === '\r') pos++;
    if (text[pos] !== '\n') fail(`unexpected ${JSON.stringify(text[pos])} at end of line`);
    pos++; line++;
  };
  const parseBasicString = () => {
    pos++; // opening "
    let out = '';
    for (;;) {
      const c = text[pos];
      if (c === undefined || c === '\n') fail('unterminated string');
      if (c === '"') { pos++; return out; }
      if (c === '\\') {
        const e = text[pos + 1];
        pos += 2;
        const simple = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
        if (e in simple) { out += simple[e]; continue; }
        if (e === 'u' || e === 'U') {
          const n = e === 'u' ? 4 : 8;
          const hex = text.slice(pos, pos + n);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) fail('bad unicode escape');
          out += String.fromCodePoint(parseInt(hex, 16));
          pos += n;
          continue;
        }
        fail(`bad escape \\${e}`);
      }
      out += c; pos++;
    }
  };
  const parseLiteralString = () => {
    pos++;
    const end = text.indexOf("'", pos);
    const nl = text.indexOf('\n', pos);
    if (end < 0 || (nl >= 0 && nl < end)) fail('unterminated literal string');
    const s = text.slice(pos, end);
    pos = end + 1;
    return s;
  };
  const parseKeyPart = () => {
    skipWs();
    if (peek() === '"') return parseBasicString();
    if (peek() === "'") return parseLiteralString();
    const m = /^[A-Za-z0-9_-]+/.exec(text.slice(pos, pos + 200));
    if (!m) fail('expected a key');
    pos += m[0].length;
    return m[0];
  };
  const parseKey = () => {
    const parts = [parseKeyPart()];
    skipWs();
    while (peek() === '.') { pos++; parts.push(parseKeyPart()); skipWs(); }
    return parts;
  };
  const parseValue = () => {
    skipWs();
    const c = peek();
    if (c === '"') {
      if (text.startsWith('"""', pos)) fail('multi-line strings are not supported');
      return parseBasicString();
    }
    if (c === "'") {
      if (text.startsWith("'''", pos)) fail('multi-line strings are not supported');
      return parseLiteralString();
    }
    if (c === '[') {
      pos++;
      const arr = [];
      for (;;) {
        skipWsNl();
        if (peek() === ']') { pos++; return arr; }
        arr.push(parseValue());
        skipWsNl();
        if (peek() === ',') { pos++; continue; }
        if (peek() === ']') { pos++; return arr; }
        fail('expected , or ] in array');
      }
    }
    if (c === '{') {
      pos++;
      const obj = {};
      skipWs();
      if (peek() === '}') { pos++; return obj; }
      for (;;) {
        const key = parseKey();
        skipWs();
        if (peek() !== '=') fail('expected = in inline table');
        pos++;
        setPath(obj, key, parseValue(), false);
        skipWs();
        if (peek() === ',') { pos++; continue; }
        if (peek() === '}') { pos++; return obj; }
        fail('expected , or } in inline table');
      }
    }
    const m = /^(true|false|[+-]?(0|[1-9](_?[0-9])*)(?![0-9.eE]))/.exec(text.slice(pos, pos + 64));
    if (!m) fail(`unsupported value starting with ${JSON.stringify(text.slice(pos, pos + 10))}`);
    pos += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    return Number(m[0].replace(/_/g, ''));
  };
  const isTable = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  function setPath(obj, keys, value, _) {
    let o = obj;
    for (let i = 0; i < keys.length - 1; i++) {
      if (!(keys[i] in o)) o[keys[i]] = {};
      o = o[keys[i]];
      if (!isTable(o)) fail(`key ${keys.slice(0, i + 1).join('.')} is not a table`);
    }
    const last = keys[keys.length - 1];
    if (last in o) fail(`duplicate key ${keys.join('.')}`);
    o[last] = value;
  }
  const defined = new Set();
  for (;;) {
    skipWsNl();
    if (pos >= text.length) break;
    if (peek() === '[') {
      const arrayOfTables = text[pos + 1] === '[';
      pos += arrayOfTables ? 2 : 1;
      const keys = parseKey();
      skipWs();
      if (arrayOfTables) { if (!text.startsWith(']]', pos)) fail('expected ]]'); pos += 2; }
      else { if (peek() !== ']') fail('expected ]'); pos++; }
      endOfLine();
      let o = root;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        const last = i === keys.length - 1;
        if (last && arrayOfTables) {
          if (!(k in o)) o[k] = [];
          if (!Array.isArray(o[k])) fail(`${k} is not an array of tables`);
          const t = {};
          o[k].push(t);
          o = t;
        } else {
          if (!(k in o)) o[k] = {};
          let v = o[k];
          if (Array.isArray(v)) v = v[v.length - 1];
          if (!isTable(v)) fail(`${keys.join('.')} is not a table`);
          o = v;
        }
      }
      if (!arrayOfTables) {
        // a [table] may be defined once per enclosing array element
        const id = o;
        if (defined.has(id)) fail(`table [${keys.join('.')}] defined twice`);
        defined.add(id);
      }
      cur = o;
      continue;
    }
    const key = parseKey();
    skipWs();
    if (peek() !== '=') fail('expected =');
    pos++;
    setPath(cur, key, parseValue(), true);
    endOfLine();
  }
  return root;
}

// ---------------------------------------------------------------- manifests
function findManifests(dir) {
  const out = [];
  for (const entry of readdirSync(dir).sort()) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) {
      // hostile/ holds harness tests that hang, crash or fail on purpose;
      // realworld/ holds entries that jsbench bundles first (check them with
      // `jsbench run -b node-pipe -w 'realworld/*'`).
      if (entry === 'tools' || entry === 'data' || entry === 'hostile' || entry === 'realworld' || entry.startsWith('.') || entry === 'node_modules') continue;
      out.push(...findManifests(p));
    } else if (entry.endsWith('.toml')) out.push(p);
  }
  return out;
}

function sha256(s) { return createHash('sha256').update(s, 'utf8').digest('hex'); }

function buildInput(input, manifestDir, where) {
  if (typeof input === 'string') return input;
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    const keys = Object.keys(input).sort().join(',');
    if (keys === 'length,repeat') {
      const { repeat, length } = input;
      if (typeof repeat !== 'string' || repeat.length === 0 || !/^[\x00-\x7f]*$/.test(repeat)) throw new Error(`${where}: repeat must be a non-empty ASCII string`);
      if (!Number.isInteger(length) || length < 0) throw new Error(`${where}: length must be a non-negative integer`);
      return repeat.repeat(Math.ceil(length / repeat.length)).slice(0, length);
    }
    if (keys === 'file') {
      return readFileSync(join(manifestDir, input.file), 'utf8');
    }
  }
  throw new Error(`${where}: unsupported input form ${JSON.stringify(input)}`);
}

// Source rules of FORMAT.md that can be checked by looking at the text.
const FORBIDDEN = [
  [/\bimport\s*[\s{*'"(]/, 'import'], [/\brequire\s*\(/, 'require'], [/\bDate\b/, 'Date'],
  [/\bperformance\b/, 'performance'], [/Math\.random/, 'Math.random'], [/\bconsole\b/, 'console'],
  [/\b(btoa|atob|TextEncoder|TextDecoder|fetch|setTimeout|setInterval|setImmediate|queueMicrotask|structuredClone|Intl|process|Buffer)\b/, 'host API'],
];
function lintSource(src) {
  const stripped = src
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:\\])\/\/.*$/gm, '$1');
  const problems = [];
  for (const [re, what] of FORBIDDEN) {
    const m = re.exec(stripped);
    if (m) problems.push(`uses ${what} (${JSON.stringify(m[0])})`);
  }
  if (!/export\s+(async\s+)?function\s+run\s*\(/.test(stripped)) problems.push('does not `export function run(`');
  return problems;
}

function loadManifest(file) {
  const doc = parseToml(readFileSync(file, 'utf8'), relative(ROOT, file));
  let entries;
  if ('workload' in doc) {
    if (!Array.isArray(doc.workload)) throw new Error(`${file}: workload must be [[workload]] tables`);
    const extra = Object.keys(doc).filter((k) => k !== 'workload');
    if (extra.length) throw new Error(`${file}: top-level keys ${extra} beside [[workload]]`);
    entries = doc.workload;
  } else entries = [doc];
  return entries.map((w) => {
    const where = `${relative(ROOT, file)} (${w.name})`;
    for (const k of Object.keys(w)) if (!KNOWN_KEYS.has(k)) throw new Error(`${where}: unknown key ${k}`);
    if (typeof w.name !== 'string' || !/^[a-z0-9-]+$/.test(w.name)) throw new Error(`${where}: bad name`);
    if (!CATEGORIES.has(w.category)) throw new Error(`${where}: bad category ${w.category}`);
    if (typeof w.description !== 'string' || !w.description) throw new Error(`${where}: missing description`);
    const cat = basename(dirname(file));
    if (cat !== w.category) throw new Error(`${where}: category ${w.category} but lives in ${cat}/`);
    for (const r of w.requires ?? []) if (!CAPABILITIES.has(r)) throw new Error(`${where}: unknown capability ${r}`);
    if (!w.sizes || !w.sizes.small) throw new Error(`${where}: missing [sizes.small]`);
    for (const [size, s] of Object.entries(w.sizes)) {
      for (const k of Object.keys(s)) if (!SIZE_KEYS.has(k)) throw new Error(`${where}: sizes.${size}: unknown key ${k}`);
      if (!('input' in s)) throw new Error(`${where}: sizes.${size}: missing input`);
      if (('expected' in s) === ('expected_sha256' in s)) throw new Error(`${where}: sizes.${size}: needs exactly one of expected / expected_sha256`);
      if ('expected_sha256' in s && !/^[0-9a-f]{64}$/.test(s.expected_sha256) && !PRINT) throw new Error(`${where}: sizes.${size}: bad expected_sha256`);
      if ('calls' in s && !(Number.isInteger(s.calls) && s.calls >= 1)) throw new Error(`${where}: sizes.${size}: calls must be a positive integer`);
    }
    const module = w.module ?? basename(file, extname(file)) + '.js';
    return { ...w, manifest: file, modulePath: join(dirname(file), module), where };
  });
}

// ---------------------------------------------------------------- main
const args = process.argv.slice(2);
const PRINT = args.includes('--print');
const onlySizes = [];
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--print') continue;
  if (args[i] === '--size') { onlySizes.push(args[++i]); continue; }
  filters.push(args[i]);
}

globalThis.jsbenchHost = (s) => String(s.length);
globalThis.jsbenchHostValue = (r) => ({
  id: r.id,
  units: r.tags.reduce((n, t) => n + t.length, r.name.length),
  norm: r.point.x * r.point.x + r.point.y * r.point.y,
});

let pass = 0;
let fail = 0;
const names = new Map();
const report = (ok, msg) => {
  if (ok) pass++; else { fail++; console.log(`FAIL ${msg}`); }
};

let workloads = [];
for (const file of findManifests(ROOT)) {
  try { workloads.push(...loadManifest(file)); }
  catch (e) { report(false, e.message); }
}
for (const w of workloads) {
  if (names.has(w.name)) report(false, `duplicate name ${w.name} in ${w.where} and ${names.get(w.name)}`);
  names.set(w.name, w.where);
}
if (filters.length) workloads = workloads.filter((w) => filters.some((f) => w.name.includes(f)));

const fmtMs = (ms) => (ms < 0.01 ? ms.toFixed(5) : ms < 1 ? ms.toFixed(3) : ms.toFixed(1));

for (const w of workloads) {
  let mod;
  try {
    const src = readFileSync(w.modulePath, 'utf8');
    const problems = lintSource(src);
    if (problems.length) { report(false, `${w.where}: ${relative(ROOT, w.modulePath)} ${problems.join('; ')}`); continue; }
    mod = await import(pathToFileURL(w.modulePath).href);
    if (typeof mod.run !== 'function') throw new Error('module does not export run');
  } catch (e) { report(false, `${w.where}: cannot load module: ${e.stack ?? e}`); continue; }
  for (const [size, s] of Object.entries(w.sizes)) {
    if (onlySizes.length && !onlySizes.includes(size)) continue;
    const tag = `${w.name} [${size}]`;
    let input;
    try { input = buildInput(s.input, dirname(w.manifest), `${w.where} sizes.${size}`); }
    catch (e) { report(false, e.message); continue; }
    const calls = s.calls ?? 1;
    const check = (out) => {
      if (typeof out !== 'string') return `returned ${typeof out}, not a string`;
      if ('expected' in s && out !== s.expected) return `expected ${JSON.stringify(s.expected)}, got ${JSON.stringify(out.length > 200 ? out.slice(0, 200) + '…' : out)}`;
      if ('expected_sha256' in s && sha256(out) !== s.expected_sha256) return `expected sha256 ${s.expected_sha256}, got ${sha256(out)} (length ${out.length})`;
      return null;
    };
    const operation = async () => {
      let last;
      for (let c = 0; c < calls; c++) {
        let out = mod.run(input);
        if (out && typeof out.then === 'function') out = await out;
        const err = check(out);
        if (err && !PRINT) throw new Error(`call ${c + 1}/${calls}: ${err}`);
        last = out;
      }
      return last;
    };
    try {
      const t0 = process.hrtime.bigint();
      const out = await operation();
      const first = Number(process.hrtime.bigint() - t0) / 1e6;
      const err = check(out);
      report(!err, `${tag}: ${err}`);
      if (PRINT) {
        // time a few more operations (up to ~1 s) for a per-call figure
        let n = 0;
        const t1 = process.hrtime.bigint();
        let elapsed = 0;
        while (n < 50 && (elapsed < 300 || n < 2) && elapsed < 3000) {
          await operation(); n++;
          elapsed = Number(process.hrtime.bigint() - t1) / 1e6;
        }
        const perOp = elapsed / n;
        const shown = out.length > 100 ? JSON.stringify(out.slice(0, 97) + "...") : JSON.stringify(out);
        console.log(`${err ? 'FAIL' : 'ok  '} ${w.name.padEnd(20)} ${size.padEnd(8)} len=${String(out.length).padEnd(8)} sha256=${sha256(out)} first=${fmtMs(first)}ms op=${fmtMs(perOp)}ms${calls > 1 ? ` call=${fmtMs(perOp / calls)}ms (x${calls})` : ''} out=${shown}`);
      }
    } catch (e) {
      report(false, `${tag}: ${e.stack ?? e}`);
    }
  }
}

console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
