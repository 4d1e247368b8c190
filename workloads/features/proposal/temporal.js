// edition: proposal
// feature: Temporal
// checks: PlainDate arithmetic and ZonedDateTime with a fixed zone (stage 3)
export function run(input) {
  if (typeof Temporal !== "object") return "missing: Temporal";
  const d = Temporal.PlainDate.from("2024-02-28").add({ days: 1 });
  if (d.toString() !== "2024-02-29") return "PlainDate.add gave " + d;
  const z = Temporal.Instant.from("2024-03-10T07:00:00Z").toZonedDateTimeISO("America/New_York");
  if (z.hour !== 3 || z.offset !== "-04:00") return "DST-aware zone gave " + z.toString();
  const dur = Temporal.PlainDate.from("2024-01-01").until("2024-03-01", { largestUnit: "month" });
  return dur.toString() === "P2M" ? "ok" : "until gave " + dur;
}
