// Operating-system kernel simulation in the style of Martin Richards' benchmark:
// a priority scheduler running six tasks (idle, worker, two handlers, two
// devices) that pass packets around through queues. Exercises property access,
// linked lists and polymorphic dispatch on task kind.
// Input: "<idle count>" or "<idle count>x<repetitions>".
// Output: "<packets queued>:<hold operations>" of the last repetition.
const IDLE = 0, WORKER = 1, HANDLER_A = 2, HANDLER_B = 3, DEVICE_A = 4, DEVICE_B = 5;
const KIND_DEVICE = 0, KIND_WORK = 1;
const DATA_SIZE = 4;
// state bits
const PENDING = 1, WAITING = 2, HOLDING = 4;

class Packet {
  constructor(next, target, kind) {
    this.next = next;
    this.target = target; // task id the packet is addressed to / came from
    this.kind = kind;
    this.index = 0;
    this.data = [0, 0, 0, 0];
  }
  // append this packet at the end of queue `head`, return the new head
  appendTo(head) {
    this.next = null;
    if (head === null) return this;
    let p = head;
    while (p.next !== null) p = p.next;
    p.next = this;
    return head;
  }
}

class Task {
  constructor(sched, id, priority, queue, state, behaviour) {
    this.sched = sched;
    this.id = id;
    this.priority = priority;
    this.queue = queue;
    this.state = state;
    this.behaviour = behaviour;
    this.nextInList = sched.list;
    sched.list = this;
    sched.byId[id] = this;
  }
  blocked() {
    return (this.state & HOLDING) !== 0 || this.state === WAITING;
  }
  step() {
    let packet = null;
    if (this.state === (WAITING | PENDING)) {
      packet = this.queue;
      this.queue = packet.next;
      this.state = this.queue === null ? 0 : PENDING;
    }
    return this.behaviour.step(this.sched, packet);
  }
  // a packet arrives from task `from`; returns the task to run next
  receive(from, packet) {
    if (this.queue === null) {
      this.queue = packet;
      this.state |= PENDING;
      if (this.priority > from.priority) return this;
    } else {
      this.queue = packet.appendTo(this.queue);
    }
    return from;
  }
}

class IdleBehaviour {
  constructor(count) { this.seed = 1; this.count = count; }
  step(s) {
    if (--this.count === 0) return s.holdSelf();
    if ((this.seed & 1) === 0) {
      this.seed >>= 1;
      return s.wake(DEVICE_A);
    }
    this.seed = (this.seed >> 1) ^ 0xd008;
    return s.wake(DEVICE_B);
  }
}

class WorkerBehaviour {
  constructor() { this.dest = HANDLER_A; this.letter = 0; }
  step(s, packet) {
    if (packet === null) return s.waitSelf();
    this.dest = this.dest === HANDLER_A ? HANDLER_B : HANDLER_A;
    packet.target = this.dest;
    packet.index = 0;
    for (let i = 0; i < DATA_SIZE; i++) {
      if (++this.letter > 26) this.letter = 1;
      packet.data[i] = this.letter;
    }
    return s.send(packet);
  }
}

class HandlerBehaviour {
  constructor() { this.work = null; this.devices = null; }
  step(s, packet) {
    if (packet !== null) {
      if (packet.kind === KIND_WORK) this.work = packet.appendTo(this.work);
      else this.devices = packet.appendTo(this.devices);
    }
    const work = this.work;
    if (work !== null) {
      const i = work.index;
      if (i < DATA_SIZE) {
        const dev = this.devices;
        if (dev !== null) {
          this.devices = dev.next;
          dev.index = work.data[i];
          work.index = i + 1;
          return s.send(dev);
        }
      } else {
        this.work = work.next;
        return s.send(work);
      }
    }
    return s.waitSelf();
  }
}

class DeviceBehaviour {
  constructor() { this.pending = null; }
  step(s, packet) {
    if (packet === null) {
      const p = this.pending;
      if (p === null) return s.waitSelf();
      this.pending = null;
      return s.send(p);
    }
    this.pending = packet;
    return s.holdSelf();
  }
}

class Scheduler {
  constructor() {
    this.list = null;
    this.byId = [null, null, null, null, null, null];
    this.current = null;
    this.currentId = -1;
    this.queued = 0;
    this.holds = 0;
  }
  schedule() {
    let t = this.list;
    while (t !== null) {
      if (t.blocked()) {
        t = t.nextInList;
      } else {
        this.current = t;
        this.currentId = t.id;
        t = t.step();
      }
    }
  }
  holdSelf() {
    this.holds++;
    this.current.state |= HOLDING;
    return this.current.nextInList;
  }
  waitSelf() {
    this.current.state |= WAITING;
    return this.current;
  }
  wake(id) {
    const t = this.byId[id];
    t.state &= ~HOLDING;
    return t.priority > this.current.priority ? t : this.current;
  }
  send(packet) {
    const t = this.byId[packet.target];
    this.queued++;
    packet.next = null;
    packet.target = this.currentId;
    return t.receive(this.current, packet);
  }
}

function simulate(count) {
  const s = new Scheduler();
  new Task(s, IDLE, 0, null, 0, new IdleBehaviour(count));
  let q = new Packet(null, IDLE, KIND_WORK);
  q = new Packet(q, IDLE, KIND_WORK);
  new Task(s, WORKER, 1000, q, WAITING | PENDING, new WorkerBehaviour());
  q = new Packet(null, DEVICE_A, KIND_DEVICE);
  q = new Packet(q, DEVICE_A, KIND_DEVICE);
  q = new Packet(q, DEVICE_A, KIND_DEVICE);
  new Task(s, HANDLER_A, 2000, q, WAITING | PENDING, new HandlerBehaviour());
  q = new Packet(null, DEVICE_B, KIND_DEVICE);
  q = new Packet(q, DEVICE_B, KIND_DEVICE);
  q = new Packet(q, DEVICE_B, KIND_DEVICE);
  new Task(s, HANDLER_B, 3000, q, WAITING | PENDING, new HandlerBehaviour());
  new Task(s, DEVICE_A, 4000, null, WAITING, new DeviceBehaviour());
  new Task(s, DEVICE_B, 5000, null, WAITING, new DeviceBehaviour());
  s.schedule();
  return s;
}

export function run(input) {
  const parts = input.split('x');
  const count = parseInt(parts[0], 10);
  const reps = parts.length > 1 ? parseInt(parts[1], 10) : 1;
  if (!(count >= 1 && reps >= 1)) throw new Error('richards: bad input ' + input);
  let s = null;
  for (let r = 0; r < reps; r++) s = simulate(count);
  return s.queued + ':' + s.holds;
}
