#!/usr/bin/env node
// Generates the committed data files of the suite, deterministically (a seeded
// xorshift PRNG; no clock, no Math.random), so re-running it reproduces them
// byte for byte:
//   embedding/data/doc-100kb.json   input of `json-in-out` (~100 KB)
//
//   node workloads/tools/gen-data.mjs          (re)write the files
//   node workloads/tools/gen-data.mjs --check  exit 1 if a file differs
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function rng(seed) {
  let s = seed | 0;
  return (n) => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) % n; };
}

const FIRST = ['Ada', 'Björn', 'Chioma', 'Dmitri', 'Élodie', 'Farah', 'Gustavo', 'Hiroshi', 'Ines', 'Jamal',
  'Kateřina', 'Liang', 'Mateo', 'Nadia', 'Olu', 'Priya', 'Quentin', 'Rosa', 'Søren', 'Tomás'];
const LAST = ['Okafor', 'Lindqvist', 'Nakamura', 'García', 'Novák', 'Haddad', 'Smith', "O'Brien", 'Müller', 'Zhang'];
const DOMAINS = ['example.org', 'example.com', 'mail.example.net', 'corp.example'];
const GROUPS = ['admins', 'editors', 'viewers', 'guests', 'billing', 'support'];
const TAGS = ['beta', 'vip', 'trial', 'legacy', 'mobile', 'desktop', 'api', 'sso', 'needs "review"', 'tab\there'];

function doc100kb() {
  const r = rng(0x6a736f6e);
  const users = [];
  const target = 100 * 1024;
  let size = 0;
  for (let id = 1; size < target - 400; id++) {
    const first = FIRST[r(FIRST.length)], last = LAST[r(LAST.length)];
    const tags = [];
    for (let k = r(4); k > 0; k--) tags.push(TAGS[r(TAGS.length)]);
    const visits = [];
    for (let k = 1 + r(6); k > 0; k--) visits.push(r(500));
    const user = {
      id,
      name: first + ' ' + last,
      email: (first + '.' + last).toLowerCase().replace(/[^a-z.]/g, '') + id + '@' + DOMAINS[r(DOMAINS.length)],
      group: GROUPS[r(GROUPS.length)],
      active: r(4) !== 0,
      balance_cents: r(2000000) - 500000,
      visits,
      tags,
      manager: r(3) === 0 ? null : 1 + r(id),
    };
    users.push(user);
    size += Buffer.byteLength(JSON.stringify(user)) + 1;
  }
  // one user per line: readable diffs, a little whitespace for the parser
  return '{"schema": "jsbench/users", "version": 2, "groups": ' + JSON.stringify(GROUPS) + ',\n"users": [\n' +
    users.map((u) => JSON.stringify(u)).join(',\n') + '\n]}\n';
}

const FILES = [['embedding/data/doc-100kb.json', doc100kb]];

const check = process.argv.includes('--check');
let bad = 0;
for (const [rel, make] of FILES) {
  const path = join(ROOT, rel);
  const text = make();
  if (check) {
    const same = existsSync(path) && readFileSync(path, 'utf8') === text;
    console.log(`${same ? 'same' : 'DIFFERS'} ${rel}`);
    if (!same) bad++;
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    console.log(`wrote ${rel} (${Buffer.byteLength(text)} bytes)`);
  }
}
process.exit(bad ? 1 : 0);
