/**
 * Wall-clock arithmetic for recurring freeze windows, in IANA time zones through Intl. Pure: the
 * instant is always passed in. A window is stated in local time ("fri 16:00" in Europe/Paris), so it
 * starts and ends at that local time whatever the daylight-saving offset is that week.
 */

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const MINUTES_PER_DAY = 1440;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** A point of a recurring window: a minute of the week (`fri 16:00`) or of every day (`16:00`). */
export interface ClockPoint {
  day?: number;
  minute: number;
}

/** `fri 16:00`, `Friday 16:00` or `16:00` (every day); undefined when it is none of these. */
export function parseClockPoint(text: string): ClockPoint | undefined {
  const m = /^\s*(?:([a-z]{3})[a-z]*\s+)?([01]?\d|2[0-3]):([0-5]\d)\s*$/i.exec(text);
  if (!m) return undefined;
  const minute = Number(m[2]) * 60 + Number(m[3]);
  if (m[1] === undefined) return { minute };
  const day = DAYS.indexOf(m[1].toLowerCase() as (typeof DAYS)[number]);
  return day < 0 ? undefined : { day, minute };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter for the zone, or undefined when Intl does not know the zone. */
function formatter(timeZone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(timeZone);
  if (f) return f;
  try {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
  } catch {
    return undefined;
  }
  formatters.set(timeZone, f);
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  return formatter(timeZone) !== undefined;
}

interface LocalTime {
  /** Minutes since the epoch as if the local wall clock were UTC. */
  wall: number;
  weekday: number;
}

function localTime(instant: number, timeZone: string): LocalTime {
  const f = formatter(timeZone);
  if (!f) throw new Error(`unknown time zone "${timeZone}"`);
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(instant)) parts[p.type] = p.value;
  const wallMs = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
  return {
    wall: Math.floor(wallMs / 60_000),
    weekday: DAYS.indexOf((parts.weekday ?? "").toLowerCase() as (typeof DAYS)[number]),
  };
}

/** Where `instant` falls in the window's period (a week, or a day when the points name no day). */
function position(p: ClockPoint, weekly: boolean): number {
  return weekly ? (p.day ?? 0) * MINUTES_PER_DAY + p.minute : p.minute;
}

export interface RecurringWindow {
  start: ClockPoint;
  end: ClockPoint;
  timeZone: string;
}

/**
 * Whether the instant is inside the window, and if so the instant it ends. Start inclusive, end
 * exclusive; a window may wrap (fri 16:00 to mon 08:00, or 22:00 to 06:00). A start that falls in a
 * spring-forward gap takes effect at the first local minute after it.
 */
export function windowAt(
  w: RecurringWindow,
  instant: number,
): { inside: false } | { inside: true; until: number } {
  const weekly = w.start.day !== undefined;
  const period = weekly ? MINUTES_PER_WEEK : MINUTES_PER_DAY;
  const local = localTime(instant, w.timeZone);
  const minuteOfDay = local.wall % MINUTES_PER_DAY;
  const t = weekly ? local.weekday * MINUTES_PER_DAY + minuteOfDay : minuteOfDay;
  const s = position(w.start, weekly);
  const e = position(w.end, weekly);
  const inside = s <= e ? t >= s && t < e : t >= s || t < e;
  if (!inside) return { inside: false };
  return {
    inside: true,
    until: instantOfWall(local.wall + ((e - t + period) % period), instant, w.timeZone),
  };
}

/**
 * The first instant at or after `near` whose local wall clock reads `wall` (minutes): step by the
 * wall-clock difference, then correct for the offset changing on the way (a daylight-saving switch).
 */
function instantOfWall(wall: number, near: number, timeZone: string): number {
  let guess = Math.floor(near / 60_000) * 60_000 + (wall - localTime(near, timeZone).wall) * 60_000;
  for (let i = 0; i < 3; i++) {
    const off = wall - localTime(guess, timeZone).wall;
    if (off === 0) break;
    guess += off * 60_000;
  }
  return guess;
}
