// edition: proposal
// feature: Explicit resource management
// checks: using declarations dispose in reverse order; DisposableStack (stage 3)
export function run(input) {
  const log = [];
  const res = (name) => ({ [Symbol.dispose]() { log.push(name); } });
  {
    using a = res("a");
    using b = res("b");
    log.push("body");
  }
  return log.join() === "body,b,a" ? "ok" : "disposal order " + log.join();
}
