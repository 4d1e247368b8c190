// edition: ECMA-402
// feature: Intl.NumberFormat
// checks: en-US currency and de-DE grouping with fixed locales
export function run(input) {
  if (typeof Intl !== "object") return "missing: Intl";
  if (typeof Intl.NumberFormat !== "function") return "missing: Intl.NumberFormat";
  const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(1234.5);
  if (usd !== "$1,234.50") return "en-US currency gave " + usd;
  const de = new Intl.NumberFormat("de-DE").format(1234567.891);
  if (de !== "1.234.567,891") return "de-DE gave " + de;
  const pct = new Intl.NumberFormat("en-US", { style: "percent" }).format(0.256);
  return pct === "26%" ? "ok" : "percent gave " + pct;
}
