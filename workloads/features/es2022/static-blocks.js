// edition: ES2022
// feature: Class static blocks
// checks: static { } runs once with access to privates
let ran = 0;
class C {
  static #secret = 41;
  static answer;
  static { ran++; C.answer = C.#secret + 1; }
}
export function run(input) {
  new C(); new C();
  return C.answer === 42 && ran === 1 ? "ok" : "static block gave " + C.answer + " and ran " + ran + " times";
}
