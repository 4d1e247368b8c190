// Base64 (RFC 4648, standard alphabet, '=' padding) encoder and decoder in
// pure JS over Uint8Arrays; byte data comes from a seeded PRNG.
// Input: "text:<ascii>" encodes that text and returns the Base64;
//        "<bytes>x<rounds>" encodes and decodes (and verifies) the data
//        `rounds` times, returning "<encoded length>:<fnv-1a of the encoding>".
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

function encode(bytes) {
  const n = bytes.length;
  const parts = [];
  let chunk = '';
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    chunk += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + ALPHABET[(v >> 6) & 63] + ALPHABET[v & 63];
    if (chunk.length >= 4096) { parts.push(chunk); chunk = ''; }
  }
  if (i < n) {
    const v = (bytes[i] << 16) | (i + 1 < n ? bytes[i + 1] << 8 : 0);
    chunk += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + (i + 1 < n ? ALPHABET[(v >> 6) & 63] : '=') + '=';
  }
  parts.push(chunk);
  return parts.join('');
}

function decode(text) {
  if (text.length % 4 !== 0) throw new Error('base64: length not a multiple of 4');
  let pad = 0;
  if (text.endsWith('==')) pad = 2; else if (text.endsWith('=')) pad = 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const a = DECODE[text.charCodeAt(i)], b = DECODE[text.charCodeAt(i + 1)];
    const c = text[i + 2] === '=' ? 0 : DECODE[text.charCodeAt(i + 2)];
    const d = text[i + 3] === '=' ? 0 : DECODE[text.charCodeAt(i + 3)];
    if ((a | b | c | d) < 0) throw new Error('base64: bad character');
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    if (o < out.length) out[o++] = (v >> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

export function run(input) {
  if (input.startsWith('text:')) {
    const t = input.slice(5);
    const bytes = new Uint8Array(t.length);
    for (let i = 0; i < t.length; i++) bytes[i] = t.charCodeAt(i) & 255;
    const enc = encode(bytes);
    const dec = decode(enc);
    let back = '';
    for (let i = 0; i < dec.length; i++) back += String.fromCharCode(dec[i]);
    if (back !== t) throw new Error('base64: round trip failed');
    return enc;
  }
  const parts = input.split('x');
  const n = parseInt(parts[0], 10);
  const rounds = parts.length > 1 ? parseInt(parts[1], 10) : 1;
  if (!(n >= 0 && rounds >= 1)) throw new Error('base64: bad input ' + input);
  const data = new Uint8Array(n);
  let seed = 0xba5e64;
  for (let i = 0; i < n; i++) {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    data[i] = seed & 255;
  }
  let enc = '';
  for (let r = 0; r < rounds; r++) {
    // each round flips one byte so no engine can reuse the previous result
    data[r % (n || 1)] ^= r & 255;
    enc = encode(data);
    const dec = decode(enc);
    if (dec.length !== n) throw new Error('base64: length mismatch');
    for (let i = 0; i < n; i++) if (dec[i] !== data[i]) throw new Error('base64: round trip failed at ' + i);
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < enc.length; i++) h = Math.imul(h ^ enc.charCodeAt(i), 16777619);
  return enc.length + ':' + (h >>> 0);
}
