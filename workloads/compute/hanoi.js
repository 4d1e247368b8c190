// Towers of Hanoi, solved recursively while really moving discs between three
// array stacks; every move checks the "no larger disc on a smaller one" rule.
// Input: "<discs>" or "<discs>x<rounds>". Output: "<moves>:<checksum>".
function move(n, from, to, via, pegs, state) {
  if (n === 0) return;
  move(n - 1, from, via, to, pegs, state);
  const src = pegs[from];
  const dst = pegs[to];
  const disc = src.pop();
  if (dst.length > 0 && dst[dst.length - 1] < disc) throw new Error('hanoi: illegal move');
  dst.push(disc);
  state.moves++;
  state.sum = (Math.imul(state.sum, 31) + disc * 7 + from * 3 + to) >>> 0;
  move(n - 1, via, to, from, pegs, state);
}

export function run(input) {
  const parts = input.split('x');
  const discs = parseInt(parts[0], 10);
  const rounds = parts.length > 1 ? parseInt(parts[1], 10) : 1;
  if (!(discs >= 1 && discs <= 30 && rounds >= 1)) throw new Error('hanoi: bad input ' + input);
  const state = { moves: 0, sum: 0 };
  for (let r = 0; r < rounds; r++) {
    const pegs = [[], [], []];
    for (let d = discs; d >= 1; d--) pegs[0].push(d);
    move(discs, 0, 2, 1, pegs, state);
    if (pegs[2].length !== discs || pegs[0].length !== 0 || pegs[1].length !== 0) throw new Error('hanoi: wrong end state');
  }
  return state.moves + ':' + state.sum;
}
