// Classes with private fields and methods (#x, #method, static #field,
// `#x in obj` brand checks), getters/setters, inheritance with super calls:
// a small bank-ledger simulation.
// Input: number of transactions. Output: "<accounts>:<total balance>:<rejected>:<checksum>".
class Account {
  static #created = 0;
  #id;
  #balance = 0;
  #history = [];

  constructor(id, opening) {
    this.#id = id;
    this.#balance = opening;
    Account.#created++;
  }
  static get created() { return Account.#created; }
  static reset() { Account.#created = 0; }
  static isAccount(x) { return #balance in x; }

  get id() { return this.#id; }
  get balance() { return this.#balance; }

  #record(kind, amount) {
    this.#history.push(kind * 1000003 + amount);
    if (this.#history.length > 16) this.#history.shift();
  }
  #canWithdraw(amount) { return this.limit() + this.#balance >= amount; }
  limit() { return 0; }

  deposit(amount) {
    this.#balance += amount;
    this.#record(1, amount);
  }
  withdraw(amount) {
    if (!this.#canWithdraw(amount)) return false;
    this.#balance -= amount;
    this.#record(2, amount);
    return true;
  }
  digest() {
    let h = this.#id;
    for (const e of this.#history) h = (Math.imul(h, 31) + e) >>> 0;
    return h;
  }
}

class CreditAccount extends Account {
  #limit;
  constructor(id, opening, limit) {
    super(id, opening);
    this.#limit = limit;
  }
  limit() { return this.#limit; }
  withdraw(amount) {
    const ok = super.withdraw(amount);
    // a refused withdrawal lowers the credit limit, a granted one raises it
    this.#limit = ok ? Math.min(1000, this.#limit + 1) : Math.max(0, this.#limit - 5);
    return ok;
  }
}

export function run(input) {
  const n = parseInt(input, 10);
  if (!(n >= 1)) throw new Error('private-fields: bad count ' + input);
  Account.reset();
  let seed = 0x9e3779b9;
  const next = (m) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % m; };
  const accounts = [];
  for (let i = 0; i < 64; i++) {
    accounts.push(i % 4 === 0 ? new CreditAccount(i, 100, 500) : new Account(i, 100 + i));
  }
  let rejected = 0;
  for (let t = 0; t < n; t++) {
    const from = accounts[next(64)], to = accounts[next(64)];
    const amount = 1 + next(300);
    if (from.withdraw(amount)) to.deposit(amount);
    else rejected++;
  }
  let total = 0, check = 0;
  for (const a of accounts) {
    if (!Account.isAccount(a)) throw new Error('private-fields: brand check failed');
    total += a.balance;
    check = (Math.imul(check, 17) + a.digest()) >>> 0;
  }
  if (Account.isAccount({})) throw new Error('private-fields: brand check accepted a plain object');
  return Account.created + ':' + total + ':' + rejected + ':' + check;
}
