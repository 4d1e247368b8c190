// A small Whitted-style ray tracer: spheres on a checkered floor, two point
// lights with shadows, Lambert + Phong (exponent 16, by repeated squaring)
// shading and up to 3 mirror bounces. Uses only + - * / and Math.sqrt, which
// IEEE-754 rounds exactly, so every engine computes the same pixels.
// Input: "<width>x<height>". Output: "<width>x<height>:<fnv-1a of RGB bytes>:<sum of bytes>".
class Vec {
  constructor(x, y, z) { this.x = x; this.y = y; this.z = z; }
  add(o) { return new Vec(this.x + o.x, this.y + o.y, this.z + o.z); }
  sub(o) { return new Vec(this.x - o.x, this.y - o.y, this.z - o.z); }
  scale(k) { return new Vec(this.x * k, this.y * k, this.z * k); }
  mul(o) { return new Vec(this.x * o.x, this.y * o.y, this.z * o.z); }
  dot(o) { return this.x * o.x + this.y * o.y + this.z * o.z; }
  norm() { const l = Math.sqrt(this.dot(this)); return new Vec(this.x / l, this.y / l, this.z / l); }
}

class Sphere {
  constructor(center, radius, color, mirror) {
    this.center = center; this.r2 = radius * radius; this.color = color; this.mirror = mirror;
  }
  intersect(orig, dir) {
    const oc = orig.sub(this.center);
    const b = oc.dot(dir);
    const c = oc.dot(oc) - this.r2;
    const disc = b * b - c;
    if (disc < 0) return -1;
    const s = Math.sqrt(disc);
    let t = -b - s;
    if (t > 1e-6) return t;
    t = -b + s;
    return t > 1e-6 ? t : -1;
  }
  normalAt(p) { return p.sub(this.center).norm(); }
  colorAt() { return this.color; }
}

class Floor {
  constructor(y) { this.y = y; this.mirror = 0.2; }
  intersect(orig, dir) {
    if (dir.y > -1e-9 && dir.y < 1e-9) return -1;
    const t = (this.y - orig.y) / dir.y;
    return t > 1e-6 ? t : -1;
  }
  normalAt() { return new Vec(0, 1, 0); }
  colorAt(p) {
    const cx = Math.floor(p.x * 0.5), cz = Math.floor(p.z * 0.5);
    return ((cx + cz) & 1) === 0 ? new Vec(0.9, 0.9, 0.9) : new Vec(0.15, 0.15, 0.2);
  }
}

const SCENE = [
  new Floor(-1),
  new Sphere(new Vec(0, 0, -6), 1, new Vec(0.9, 0.2, 0.2), 0.3),
  new Sphere(new Vec(-2.2, -0.2, -7.5), 0.8, new Vec(0.2, 0.8, 0.3), 0.1),
  new Sphere(new Vec(2.1, 0.3, -7), 1.3, new Vec(0.3, 0.4, 0.9), 0.6),
  new Sphere(new Vec(0.6, -0.6, -4.2), 0.4, new Vec(0.95, 0.85, 0.2), 0),
];
const LIGHTS = [
  { pos: new Vec(-5, 6, -2), color: new Vec(0.8, 0.8, 0.75) },
  { pos: new Vec(4, 4, -1), color: new Vec(0.35, 0.35, 0.45) },
];
const SKY = new Vec(0.5, 0.7, 1.0);

function nearest(orig, dir) {
  let best = -1, hit = null;
  for (let i = 0; i < SCENE.length; i++) {
    const t = SCENE[i].intersect(orig, dir);
    if (t > 0 && (best < 0 || t < best)) { best = t; hit = SCENE[i]; }
  }
  return hit === null ? null : { t: best, obj: hit };
}

function shadowed(p, toLight, dist) {
  for (let i = 0; i < SCENE.length; i++) {
    const t = SCENE[i].intersect(p, toLight);
    if (t > 0 && t < dist) return true;
  }
  return false;
}

function trace(orig, dir, depth) {
  const h = nearest(orig, dir);
  if (h === null) return SKY.scale(0.6 + 0.4 * (dir.y < 0 ? 0 : dir.y));
  const p = orig.add(dir.scale(h.t));
  const n = h.obj.normalAt(p);
  const base = h.obj.colorAt(p);
  let color = base.scale(0.1);
  for (const light of LIGHTS) {
    const toL = light.pos.sub(p);
    const dist = Math.sqrt(toL.dot(toL));
    const l = toL.scale(1 / dist);
    const lambert = n.dot(l);
    if (lambert <= 0 || shadowed(p, l, dist)) continue;
    color = color.add(base.mul(light.color).scale(lambert));
    const refl = l.sub(n.scale(2 * lambert));
    let spec = refl.dot(dir);
    if (spec > 0) {
      spec *= spec; spec *= spec; spec *= spec; spec *= spec; // ^16
      color = color.add(light.color.scale(spec * 0.5));
    }
  }
  if (h.obj.mirror > 0 && depth < 3) {
    const r = dir.sub(n.scale(2 * dir.dot(n)));
    color = color.scale(1 - h.obj.mirror).add(trace(p, r, depth + 1).scale(h.obj.mirror));
  }
  return color;
}

function toByte(c) {
  if (!(c > 0)) return 0;
  if (c >= 1) return 255;
  return Math.floor(c * 255);
}

export function run(input) {
  const m = /^(\d+)x(\d+)$/.exec(input);
  if (!m) throw new Error('raytracer: input must be WxH');
  const w = parseInt(m[1], 10), h = parseInt(m[2], 10);
  const pixels = new Uint8Array(w * h * 3);
  const eye = new Vec(0, 0.4, 0);
  const aspect = w / h;
  let k = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const px = ((2 * (x + 0.5)) / w - 1) * aspect * 0.6;
      const py = (1 - (2 * (y + 0.5)) / h) * 0.6;
      const dir = new Vec(px, py - 0.08, -1).norm();
      const c = trace(eye, dir, 0);
      pixels[k++] = toByte(c.x);
      pixels[k++] = toByte(c.y);
      pixels[k++] = toByte(c.z);
    }
  }
  let hash = 0x811c9dc5, sum = 0;
  for (let i = 0; i < pixels.length; i++) {
    hash = Math.imul(hash ^ pixels[i], 16777619) >>> 0;
    sum += pixels[i];
  }
  return w + 'x' + h + ':' + hash + ':' + sum;
}
