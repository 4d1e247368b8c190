// edition: ECMA-402
// feature: Intl.DateTimeFormat
// checks: a fixed instant in UTC and in America/New_York, en-US
export function run(input) {
  if (typeof Intl !== "object") return "missing: Intl";
  if (typeof Intl.DateTimeFormat !== "function") return "missing: Intl.DateTimeFormat";
  const instant = new Date(Date.UTC(2024, 1, 29, 15, 30));
  const day = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "long", day: "numeric" }).format(instant);
  if (day !== "February 29, 2024") return "UTC date gave " + day;
  const ny = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", hour: "numeric", minute: "2-digit", hourCycle: "h23" }).format(instant);
  return ny === "10:30" ? "ok" : "New York time gave " + ny;
}
