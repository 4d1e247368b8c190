// edition: ES2015
// feature: Classes
// checks: class syntax, extends/super, static methods, accessors
class Shape {
  constructor(name) { this.name = name; }
  area() { return 0; }
  get label() { return this.name + ":" + this.area(); }
  static make(s) { return new Square(s); }
}
class Square extends Shape {
  constructor(side) { super("square"); this.side = side; }
  area() { return this.side * this.side; }
  describe() { return super.label.toUpperCase(); }
}
export function run(input) {
  const sq = Shape.make(3);
  if (!(sq instanceof Shape)) return "subclass instance is not instanceof its base";
  if (sq.label !== "square:9") return "getter gave " + sq.label;
  if (sq.describe() !== "SQUARE:9") return "super property access gave " + sq.describe();
  try { Shape(); return "calling a class without new did not throw"; } catch (e) { if (!(e instanceof TypeError)) return "calling a class threw " + e; }
  return "ok";
}
