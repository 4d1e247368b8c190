// String building: += concatenation in loops, Array.join, template literals,
// padStart/padEnd, repeat, slice/indexOf, split/join and case mapping
// (ASCII only, so every engine maps identically), producing a CSV-like report
// and a reversed copy, then hashing the result.
// Input: number of rows. Output: "<length>:<lines>:<fnv-1a>".
function fnv(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const NAMES = ['ada', 'brian', 'carla', 'dmitri', 'elena', 'farid', 'grace', 'hiro'];

export function run(input) {
  const rows = parseInt(input, 10);
  if (!(rows >= 1)) throw new Error('string-build: bad row count ' + input);
  // 1. concatenation in a loop
  let csv = 'id,name,amount,code\n';
  for (let i = 0; i < rows; i++) {
    const name = NAMES[i % NAMES.length];
    csv += i + ',' + name + ',' + ((i * 37) % 1000) + '.' + String(i % 100).padStart(2, '0') + ',' +
      name.toUpperCase().slice(0, 3) + '-' + (i % 97).toString(16) + '\n';
  }
  // 2. parse it back with split and rebuild with templates and join
  const lines = csv.split('\n');
  const parts = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const f = line.split(',');
    parts.push(`${f[0].padStart(6, '0')}|${f[1].padEnd(8, '.')}|${f[3].toLowerCase()}|${f[2].replace('.', ',')}`);
  }
  const table = parts.join('\n');
  // 3. a banner and a reversed copy built char by char
  const banner = '='.repeat(40) + '\n' + ' '.repeat(10) + 'REPORT' + '\n' + '='.repeat(40) + '\n';
  let reversed = '';
  for (let i = Math.min(table.length, 20000) - 1; i >= 0; i--) reversed += table[i];
  // 4. search inside the result
  let hits = 0;
  for (let at = table.indexOf('grace'); at >= 0; at = table.indexOf('grace', at + 1)) hits++;
  const result = banner + table + '\n' + reversed + '\n' + hits;
  return result.length + ':' + parts.length + ':' + fnv(result);
}
