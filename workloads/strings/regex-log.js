// Regular-expression scan over generated web-server log text: a global regex
// with capture groups walked with exec(), a second pass with String.match,
// a test() filter per line after split(), and a replace() with a callback.
// The log for a size is generated from a fixed seed on the first call and
// cached in the module; the timed work of later calls is the scanning.
// Input: number of log lines.
// Output: "<lines>:<ERROR>:<WARN>:<INFO>:<DEBUG>:<latency sum>:<distinct ips>:<slow>:<redacted>:<checksum>".
const cache = new Map();
const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'DEBUG', 'WARN', 'ERROR', 'INFO'];
const PATHS = ['/api/users', '/api/orders/17', '/static/app.js', '/login', '/api/search?q=ab+cd', '/health'];
const METHODS = ['GET', 'GET', 'POST', 'PUT', 'DELETE'];

function generate(lines) {
  let seed = 0x10a5eed;
  const next = (n) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };
  const pad = (n) => (n < 10 ? '0' + n : '' + n);
  const out = [];
  for (let i = 0; i < lines; i++) {
    const t = i * 7;
    const ts = '2024-03-' + pad(1 + ((t / 86400) | 0) % 28) + 'T' + pad(((t / 3600) | 0) % 24) + ':' +
      pad(((t / 60) | 0) % 60) + ':' + pad(t % 60) + 'Z';
    const level = LEVELS[next(LEVELS.length)];
    const ip = '10.' + next(4) + '.' + next(16) + '.' + next(256);
    let line = ts + ' [' + level + '] ' + METHODS[next(METHODS.length)] + ' ' + PATHS[next(PATHS.length)] +
      ' status=' + (next(10) === 0 ? 500 : next(5) === 0 ? 404 : 200) + ' ip=' + ip +
      ' latency=' + (1 + next(next(8) === 0 ? 2000 : 120)) + 'ms';
    if (next(5) === 0) line += ' user=user' + next(500) + '@example.org';
    if (level === 'ERROR') line += ' msg="upstream timeout after ' + next(30) + ' retries"';
    out.push(line);
  }
  return out.join('\n') + '\n';
}

export function run(input) {
  const lines = parseInt(input, 10);
  if (!(lines >= 1)) throw new Error('regex-log: bad line count ' + input);
  let text = cache.get(lines);
  if (text === undefined) { text = generate(lines); cache.set(lines, text); }

  // pass 1: exec() loop with captures
  const re = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z \[(ERROR|WARN|INFO|DEBUG)\] ([A-Z]+) (\S+) status=(\d{3}) ip=((?:\d{1,3}\.){3}\d{1,3}) latency=(\d+)ms/gm;
  const levels = { ERROR: 0, WARN: 0, INFO: 0, DEBUG: 0 };
  const ips = new Set();
  let latency = 0, matched = 0, check = 0;
  let m;
  while ((m = re.exec(text)) !== null) {
    matched++;
    levels[m[7]]++;
    ips.add(m[11]);
    latency += parseInt(m[12], 10);
    check = (Math.imul(check, 31) + m[10].charCodeAt(0) + m[9].length + parseInt(m[6], 10)) >>> 0;
  }
  if (matched !== lines) throw new Error('regex-log: matched ' + matched + ' of ' + lines + ' lines');
  // pass 2: match() over the whole text for slow requests (>= 1000 ms)
  const slow = (text.match(/latency=\d{4,}ms/g) || []).length;
  // pass 3: test() per line for 5xx errors on API paths
  let apiErrors = 0;
  const apiErr = /\/api\/[^ ]* status=5\d\d/;
  for (const line of text.split('\n')) if (apiErr.test(line)) apiErrors++;
  // pass 4: redact e-mail addresses with a replace callback
  let redacted = 0;
  const cleaned = text.replace(/([a-z0-9._-]+)@([a-z0-9-]+\.[a-z]{2,})/gi, (all, user, host) => {
    redacted++;
    return user.charAt(0) + '***@' + host;
  });
  check = (check + cleaned.length + apiErrors * 7) >>> 0;
  return lines + ':' + levels.ERROR + ':' + levels.WARN + ':' + levels.INFO + ':' + levels.DEBUG + ':' +
    latency + ':' + ips.size + ':' + slow + ':' + redacted + ':' + check;
}
