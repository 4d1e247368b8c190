// edition: ES2022
// feature: Error cause
// checks: the cause option on Error and subclasses
export function run(input) {
  const root = new Error("root");
  const e = new TypeError("wrapped", { cause: root });
  if (e.cause !== root) return "cause not set";
  if ("cause" in new Error("x")) return "cause present without the option";
  if (!Object.prototype.hasOwnProperty.call(e, "cause")) return "cause is not an own property";
  return "ok";
}
