import { describe, expect, it } from "vitest";
import type { CompileProblem } from "../../src/policy/compile.js";
import { activeWindows, compileFreezes } from "../../src/policy/freeze.js";
import { parseClockPoint, type RecurringWindow, windowAt } from "../../src/policy/freeze-time.js";
import { Freezes } from "../../src/policy/schema.js";
import { policyOf, RULES } from "../approvals/monitor-fixtures.js";

const weekly = (timeZone: string): RecurringWindow => ({
  start: { day: 5, minute: 16 * 60 },
  end: { day: 1, minute: 8 * 60 },
  timeZone,
});
const at = (iso: string) => Date.parse(iso);
const until = (w: RecurringWindow, iso: string) => {
  const r = windowAt(w, at(iso));
  return r.inside ? new Date(r.until).toISOString() : "outside";
};

describe("recurring freeze windows in local time", () => {
  it("parses weekly and daily points, and refuses anything else", () => {
    expect(parseClockPoint("fri 16:00")).toEqual({ day: 5, minute: 960 });
    expect(parseClockPoint("Monday 08:00")).toEqual({ day: 1, minute: 480 });
    expect(parseClockPoint("22:30")).toEqual({ minute: 1350 });
    for (const bad of ["fri 24:00", "fry 16:00", "16h", "fri16:00 x"])
      expect(parseClockPoint(bad)).toBeUndefined();
  });

  it("starts at the local start (inclusive) and ends at the local end (exclusive)", () => {
    const paris = weekly("Europe/Paris");
    // Winter: Paris is UTC+1.
    expect(until(paris, "2026-01-16T14:59:59Z")).toBe("outside");
    expect(until(paris, "2026-01-16T15:00:00Z")).toBe("2026-01-19T07:00:00.000Z");
    expect(until(paris, "2026-01-18T12:00:00Z")).toBe("2026-01-19T07:00:00.000Z");
    expect(until(paris, "2026-01-19T06:59:00Z")).toBe("2026-01-19T07:00:00.000Z");
    expect(until(paris, "2026-01-19T07:00:00Z")).toBe("outside");
    expect(until(paris, "2026-01-21T12:00:00Z")).toBe("outside");
  });

  it("follows daylight saving time: a weekend across the spring switch ends at 08:00 summer time", () => {
    const paris = weekly("Europe/Paris");
    // Friday 27 March 2026 16:00 CET (UTC+1); the clocks go forward on Sunday 29 March.
    expect(until(paris, "2026-03-27T14:59:00Z")).toBe("outside");
    expect(until(paris, "2026-03-27T15:00:00Z")).toBe("2026-03-30T06:00:00.000Z");
    expect(until(paris, "2026-03-30T05:59:00Z")).toBe("2026-03-30T06:00:00.000Z");
    expect(until(paris, "2026-03-30T06:00:00Z")).toBe("outside");
  });

  it("and across the autumn switch, starting at 16:00 summer time and ending at 08:00 winter time", () => {
    const paris = weekly("Europe/Paris");
    expect(until(paris, "2026-10-23T13:59:00Z")).toBe("outside");
    expect(until(paris, "2026-10-23T14:00:00Z")).toBe("2026-10-26T07:00:00.000Z");
    // The repeated hour of Sunday 25 October is inside, both times round.
    expect(until(paris, "2026-10-25T00:30:00Z")).toBe("2026-10-26T07:00:00.000Z");
    expect(until(paris, "2026-10-25T01:30:00Z")).toBe("2026-10-26T07:00:00.000Z");
    expect(until(paris, "2026-10-26T07:00:00Z")).toBe("outside");
  });

  it("takes a start that falls in the spring-forward gap to mean the first minute after it", () => {
    // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT; 02:30 never happens.
    const night: RecurringWindow = {
      start: { minute: 150 },
      end: { minute: 240 },
      timeZone: "America/New_York",
    };
    expect(until(night, "2026-03-08T06:59:00Z")).toBe("outside");
    expect(until(night, "2026-03-08T07:00:00Z")).toBe("2026-03-08T08:00:00.000Z");
    expect(until(night, "2026-03-09T07:30:00Z")).toBe("2026-03-09T08:00:00.000Z");
  });

  it("works in zones with half-hour offsets and on the other side of the world", () => {
    expect(until(weekly("Asia/Kolkata"), "2026-06-12T10:30:00Z")).toBe("2026-06-15T02:30:00.000Z");
    expect(until(weekly("Asia/Kolkata"), "2026-06-12T10:29:00Z")).toBe("outside");
    // Sydney leaves summer time on Sunday 5 April 2026 (UTC+11 to UTC+10).
    expect(until(weekly("Australia/Sydney"), "2026-04-03T05:00:00Z")).toBe("2026-04-05T22:00:00.000Z");
  });

  it("wraps daily windows over midnight", () => {
    const nightly: RecurringWindow = { start: { minute: 22 * 60 }, end: { minute: 6 * 60 }, timeZone: "UTC" };
    expect(until(nightly, "2026-05-01T23:00:00Z")).toBe("2026-05-02T06:00:00.000Z");
    expect(until(nightly, "2026-05-02T05:00:00Z")).toBe("2026-05-02T06:00:00.000Z");
    expect(until(nightly, "2026-05-02T12:00:00Z")).toBe("outside");
  });
});

describe("the freezes block of a policy", () => {
  const compile = (value: unknown) => {
    const problems: CompileProblem[] = [];
    const windows = compileFreezes(Freezes.parse(value), problems);
    return { windows, problems };
  };

  it("names the window, the line's problem and the zone when they are wrong", () => {
    const { problems } = compile({
      windows: [
        { name: "weekend", every: ["fri 16:00", "mon 08:00"], timeZone: "Europe/Pariss" },
        { name: "nights", every: ["fri 16:00", "08:00"], timeZone: "UTC" },
      ],
    });
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('unknown time zone "Europe/Pariss"'),
      expect.stringContaining("every is [DAY HH:MM, DAY HH:MM]"),
    ]);
  });

  it("defaults to production and two approvers; a window may ask for more", () => {
    const { windows } = compile({
      emergency: { required: 3, groups: ["sre-leads"], delaySeconds: 300 },
      windows: [
        { name: "weekend", every: ["fri 16:00", "mon 08:00"], timeZone: "Europe/Paris" },
        {
          name: "nights",
          every: ["20:00", "07:00"],
          timeZone: "UTC",
          environments: ["staging"],
          emergency: { required: 4 },
        },
      ],
    });
    expect(windows.map((w) => [w.environments, w.emergency.required])).toEqual([
      [["production"], 3],
      [["staging"], 4],
    ]);
    expect(activeWindows(windows, at("2026-01-17T23:00:00Z")).map((a) => a.name)).toEqual([
      "weekend",
      "nights",
    ]);
    expect(compile({}).windows).toEqual([]);
  });

  it("is part of the policy document, checked when the policy loads", () => {
    const text = RULES.replace(
      "rules:\n",
      "freezes:\n  windows:\n    - { name: weekend, every: [fri 16:00, mon 08:00], timeZone: Mars/Olympus }\nrules:\n",
    );
    expect(() => policyOf(text)).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});
