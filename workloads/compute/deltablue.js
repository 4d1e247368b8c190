// An incremental dataflow constraint solver following the DeltaBlue algorithm
// (Freeman-Benson & Maloney): constraints carry a strength in a hierarchy,
// each satisfied constraint picks a method (direction) that determines one
// output variable, adding or removing a constraint re-plans incrementally via
// "walkabout strengths", and plans are extracted and executed to propagate
// edits. Two scenarios: a long chain of equalities edited at one end, and a
// set of scale/offset projections edited from both sides.
// Input: "<n>" or "<n>x<repetitions>". Output: "<plan steps>:<checksum>".
const REQUIRED = 0, STRONG_PREFERRED = 1, PREFERRED = 2, STRONG_DEFAULT = 3,
  NORMAL = 4, WEAK_DEFAULT = 5, WEAKEST = 6;
const stronger = (a, b) => a < b;
const weaker = (a, b) => a > b;
const weakestOf = (a, b) => (weaker(a, b) ? a : b);

const NONE = 0, FORWARD = 1, BACKWARD = 2;

class Variable {
  constructor(value) {
    this.value = value;
    this.constraints = [];
    this.determinedBy = null;
    this.mark = 0;
    this.walkStrength = WEAKEST;
    this.stay = true;
  }
  removeConstraint(c) {
    this.constraints = this.constraints.filter((x) => x !== c);
    if (this.determinedBy === c) this.determinedBy = null;
  }
}

class Constraint {
  constructor(planner, strength) { this.planner = planner; this.strength = strength; }
  install() {
    this.addToGraph();
    this.planner.incrementalAdd(this);
  }
  // try to satisfy this constraint; returns the constraint it overrode, if any
  satisfy(mark) {
    this.chooseMethod(mark);
    if (!this.isSatisfied()) {
      if (this.strength === REQUIRED) throw new Error('deltablue: could not satisfy a required constraint');
      return null;
    }
    this.markInputs(mark);
    const out = this.output();
    const overridden = out.determinedBy;
    if (overridden !== null) overridden.markUnsatisfied();
    out.determinedBy = this;
    if (!this.planner.addPropagate(this, mark)) throw new Error('deltablue: cycle');
    out.mark = mark;
    return overridden;
  }
  destroy() {
    if (this.isSatisfied()) this.planner.incrementalRemove(this);
    else this.removeFromGraph();
  }
  isInput() { return false; }
}

class UnaryConstraint extends Constraint {
  constructor(planner, v, strength) {
    super(planner, strength);
    this.out = v;
    this.satisfied = false;
    this.install();
  }
  addToGraph() { this.out.constraints.push(this); this.satisfied = false; }
  removeFromGraph() { this.out.removeConstraint(this); this.satisfied = false; }
  chooseMethod(mark) {
    this.satisfied = this.out.mark !== mark && stronger(this.strength, this.out.walkStrength);
  }
  isSatisfied() { return this.satisfied; }
  markInputs() {}
  output() { return this.out; }
  recalculate() {
    this.out.walkStrength = this.strength;
    this.out.stay = !this.isInput();
    if (this.out.stay) this.execute();
  }
  markUnsatisfied() { this.satisfied = false; }
  inputsKnown() { return true; }
  execute() {}
}

class StayConstraint extends UnaryConstraint {}

class EditConstraint extends UnaryConstraint {
  isInput() { return true; }
}

class BinaryConstraint extends Constraint {
  constructor(planner, a, b, strength) {
    super(planner, strength);
    this.a = a;
    this.b = b;
    this.direction = NONE;
  }
  addToGraph() {
    this.a.constraints.push(this);
    this.b.constraints.push(this);
    this.direction = NONE;
  }
  removeFromGraph() {
    this.a.removeConstraint(this);
    this.b.removeConstraint(this);
    this.direction = NONE;
  }
  chooseMethod(mark) {
    const a = this.a, b = this.b;
    if (a.mark === mark) {
      this.direction = b.mark !== mark && stronger(this.strength, b.walkStrength) ? FORWARD : NONE;
      return;
    }
    if (b.mark === mark) {
      this.direction = a.mark !== mark && stronger(this.strength, a.walkStrength) ? BACKWARD : NONE;
      return;
    }
    // neither side marked: write the side with the weaker walkabout strength
    if (weaker(a.walkStrength, b.walkStrength)) {
      this.direction = stronger(this.strength, a.walkStrength) ? BACKWARD : NONE;
    } else {
      this.direction = stronger(this.strength, b.walkStrength) ? FORWARD : NONE;
    }
  }
  isSatisfied() { return this.direction !== NONE; }
  markInputs(mark) { this.input().mark = mark; }
  input() { return this.direction === FORWARD ? this.a : this.b; }
  output() { return this.direction === FORWARD ? this.b : this.a; }
  recalculate() {
    const i = this.input(), o = this.output();
    o.walkStrength = weakestOf(this.strength, i.walkStrength);
    o.stay = i.stay;
    if (o.stay) this.execute();
  }
  markUnsatisfied() { this.direction = NONE; }
  inputsKnown(mark) {
    const i = this.input();
    return i.mark === mark || i.stay || i.determinedBy === null;
  }
}

class EqualityConstraint extends BinaryConstraint {
  constructor(planner, a, b, strength) {
    super(planner, a, b, strength);
    this.install();
  }
  execute() { this.output().value = this.input().value; }
}

// b = a * scale + offset
class ScaleConstraint extends BinaryConstraint {
  constructor(planner, a, scale, offset, b, strength) {
    super(planner, a, b, strength);
    this.scale = scale;
    this.offset = offset;
    this.install();
  }
  addToGraph() {
    super.addToGraph();
    this.scale.constraints.push(this);
    this.offset.constraints.push(this);
  }
  removeFromGraph() {
    super.removeFromGraph();
    this.scale.removeConstraint(this);
    this.offset.removeConstraint(this);
  }
  markInputs(mark) {
    super.markInputs(mark);
    this.scale.mark = mark;
    this.offset.mark = mark;
  }
  execute() {
    if (this.direction === FORWARD) this.b.value = this.a.value * this.scale.value + this.offset.value;
    else this.a.value = (this.b.value - this.offset.value) / this.scale.value;
  }
  recalculate() {
    const i = this.input(), o = this.output();
    o.walkStrength = weakestOf(this.strength, i.walkStrength);
    o.stay = i.stay && this.scale.stay && this.offset.stay;
    if (o.stay) this.execute();
  }
}

class Planner {
  constructor() { this.currentMark = 0; this.planSteps = 0; }
  newMark() { return ++this.currentMark; }
  incrementalAdd(c) {
    const mark = this.newMark();
    let overridden = c.satisfy(mark);
    while (overridden !== null) overridden = overridden.satisfy(mark);
  }
  incrementalRemove(c) {
    const out = c.output();
    c.markUnsatisfied();
    c.removeFromGraph();
    const unsatisfied = this.removePropagateFrom(out);
    for (let s = REQUIRED; s <= WEAKEST; s++) {
      for (const u of unsatisfied) if (u.strength === s) this.incrementalAdd(u);
    }
  }
  // constraints downstream of a changed constraint get recomputed walk strengths
  addPropagate(c, mark) {
    const todo = [c];
    for (let head = 0; head < todo.length; head++) {
      const d = todo[head];
      if (d.output().mark === mark) {
        this.incrementalRemove(c);
        return false;
      }
      d.recalculate();
      this.consumersOf(d.output(), todo);
    }
    return true;
  }
  removePropagateFrom(out) {
    out.determinedBy = null;
    out.walkStrength = WEAKEST;
    out.stay = true;
    const unsatisfied = [];
    const todo = [out];
    for (let head = 0; head < todo.length; head++) {
      const v = todo[head];
      for (const c of v.constraints) if (!c.isSatisfied()) unsatisfied.push(c);
      const determining = v.determinedBy;
      for (const next of v.constraints) {
        if (next !== determining && next.isSatisfied()) {
          next.recalculate();
          todo.push(next.output());
        }
      }
    }
    return unsatisfied;
  }
  consumersOf(v, into) {
    const determining = v.determinedBy;
    for (const c of v.constraints) if (c !== determining && c.isSatisfied()) into.push(c);
  }
  // topologically ordered list of constraints to run when the inputs change
  makePlan(sources) {
    const mark = this.newMark();
    const plan = [];
    const todo = sources.slice();
    for (let head = 0; head < todo.length; head++) {
      const c = todo[head];
      const out = c.output();
      if (out.mark !== mark && c.inputsKnown(mark)) {
        plan.push(c);
        out.mark = mark;
        this.consumersOf(out, todo);
      }
    }
    this.planSteps += plan.length;
    return plan;
  }
  planFor(constraints) {
    return this.makePlan(constraints.filter((c) => c.isInput() && c.isSatisfied()));
  }
}

function execute(plan) {
  for (let i = 0; i < plan.length; i++) plan[i].execute();
}

function chainTest(n) {
  const planner = new Planner();
  let prev = null, first = null, last = null;
  for (let i = 0; i <= n; i++) {
    const v = new Variable(0);
    if (prev !== null) new EqualityConstraint(planner, prev, v, REQUIRED);
    if (i === 0) first = v;
    if (i === n) last = v;
    prev = v;
  }
  new StayConstraint(planner, last, STRONG_DEFAULT);
  const edit = new EditConstraint(planner, first, PREFERRED);
  const plan = planner.planFor([edit]);
  let sum = 0;
  for (let i = 0; i < 100; i++) {
    first.value = i;
    execute(plan);
    if (last.value !== i) throw new Error('deltablue: chain test failed');
    sum += last.value;
  }
  edit.destroy();
  return { steps: planner.planSteps, sum };
}

function change(planner, v, value) {
  const edit = new EditConstraint(planner, v, PREFERRED);
  const plan = planner.planFor([edit]);
  for (let i = 0; i < 10; i++) {
    v.value = value;
    execute(plan);
  }
  edit.destroy();
}

function projectionTest(n) {
  const planner = new Planner();
  const scale = new Variable(10);
  const offset = new Variable(1000);
  let src = null, dst = null;
  const dests = [];
  for (let i = 0; i < n; i++) {
    src = new Variable(i);
    dst = new Variable(i);
    dests.push(dst);
    new StayConstraint(planner, src, NORMAL);
    new ScaleConstraint(planner, src, scale, offset, dst, REQUIRED);
  }
  change(planner, src, 17);
  if (dst.value !== 1170) throw new Error('deltablue: projection 1 failed');
  change(planner, dst, 1050);
  if (src.value !== 5) throw new Error('deltablue: projection 2 failed');
  change(planner, scale, 5);
  let sum = 0;
  for (let i = 0; i < n - 1; i++) {
    if (dests[i].value !== i * 5 + 1000) throw new Error('deltablue: projection 3 failed');
    sum += dests[i].value;
  }
  change(planner, offset, 2000);
  for (let i = 0; i < n - 1; i++) {
    if (dests[i].value !== i * 5 + 2000) throw new Error('deltablue: projection 4 failed');
    sum += dests[i].value;
  }
  return { steps: planner.planSteps, sum };
}

export function run(input) {
  const parts = input.split('x');
  const n = parseInt(parts[0], 10);
  const reps = parts.length > 1 ? parseInt(parts[1], 10) : 1;
  if (!(n >= 2 && reps >= 1)) throw new Error('deltablue: bad input ' + input);
  let steps = 0, check = 0;
  for (let r = 0; r < reps; r++) {
    const a = chainTest(n);
    const b = projectionTest(n);
    steps += a.steps + b.steps;
    check = (check + a.sum + b.sum) % 1000000007;
  }
  return steps + ':' + check;
}
