import type { CompileProblem } from "./compile.js";
import { isTimeZone, parseClockPoint, type RecurringWindow, windowAt } from "./freeze-time.js";
import type { ApprovalRequirement, Freezes, FreezeWindow } from "./schema.js";
import { envScope, formatScope, parseScope } from "./scope.js";

/** What a change needs during a freeze when the policy says nothing: two people. */
export const DEFAULT_EMERGENCY: ApprovalRequirement = {
  required: 2,
  delaySeconds: 0,
  expiresInSeconds: 3600,
  denials: 1,
  localConfirm: false,
};

export interface CompiledFreezeWindow {
  window: FreezeWindow;
  recurring: RecurringWindow;
  environments: string[];
  emergency: ApprovalRequirement;
}

/** A freeze in force: a policy window, or one an admin declared (`airlock freeze`). */
export interface ActiveFreeze {
  /** The window's name, or `declared:ENVIRONMENT`. */
  name: string;
  environments: string[];
  emergency: ApprovalRequirement;
  /** When it ends (ISO-8601 UTC). */
  until: string;
  reason?: string;
  declaredBy?: string;
}

/** A declared freeze as the store keeps it: scope `env:NAME`. */
export interface DeclaredFreeze {
  scope: string;
  until: string;
  by: string;
  at: string;
  reason?: string;
}

export function compileFreezes(
  freezes: Freezes | undefined,
  problems: CompileProblem[],
): CompiledFreezeWindow[] {
  if (!freezes) return [];
  const names = new Set<string>();
  const out: CompiledFreezeWindow[] = [];
  freezes.windows.forEach((window, index) => {
    const at = (field: string | number, ...rest: (string | number)[]) => [
      "freezes",
      "windows",
      index,
      field,
      ...rest,
    ];
    if (names.has(window.name))
      problems.push({ path: at("name"), message: `duplicate freeze name "${window.name}"` });
    names.add(window.name);
    if (!isTimeZone(window.timeZone))
      problems.push({
        path: at("timeZone"),
        message: `freeze "${window.name}": unknown time zone "${window.timeZone}" (use an IANA name such as Europe/Paris)`,
      });
    const [start, end] = window.every.map(parseClockPoint);
    if (!start || !end || (start.day === undefined) !== (end.day === undefined)) {
      problems.push({
        path: at("every"),
        message: `freeze "${window.name}": every is [DAY HH:MM, DAY HH:MM] (weekly, e.g. [fri 16:00, mon 08:00]) or [HH:MM, HH:MM] (daily)`,
      });
      return;
    }
    if (start.day === end.day && start.minute === end.minute)
      problems.push({ path: at("every"), message: `freeze "${window.name}": it starts when it ends` });
    out.push({
      window,
      recurring: { start, end, timeZone: window.timeZone },
      environments: window.environments ?? freezes.environments,
      emergency: window.emergency ?? freezes.emergency ?? DEFAULT_EMERGENCY,
    });
  });
  return out;
}

/** The policy's windows in force at `now`. */
export function activeWindows(windows: readonly CompiledFreezeWindow[], now: number): ActiveFreeze[] {
  const active: ActiveFreeze[] = [];
  for (const w of windows) {
    const at = windowAt(w.recurring, now);
    if (!at.inside) continue;
    active.push({
      name: w.window.name,
      environments: w.environments,
      emergency: w.emergency,
      until: new Date(at.until).toISOString(),
      ...(w.window.reason ? { reason: w.window.reason } : {}),
    });
  }
  return active;
}

/** A declared freeze, with the emergency approval the policy asks for during freezes. */
export function declaredFreeze(d: DeclaredFreeze, freezes: Freezes | undefined): ActiveFreeze {
  // Declared freezes are env scopes; a stored name the parser refuses is kept as it is.
  const scope = parseScope(d.scope);
  const env = scope.ok && scope.scope.kind === "env" ? scope.scope.name : d.scope.replace(/^env:/, "");
  return {
    name: `declared:${env}`,
    environments: [env],
    emergency: freezes?.emergency ?? DEFAULT_EMERGENCY,
    until: d.until,
    declaredBy: d.by,
    ...(d.reason ? { reason: d.reason } : {}),
  };
}

/** The first freeze covering one of an action's scopes (`env:NAME` of its non-read operations). */
export function coveringFreeze(
  freezes: readonly ActiveFreeze[],
  scopes: readonly string[],
): ActiveFreeze | undefined {
  return freezes.find((f) => f.environments.some((e) => scopes.includes(formatScope(envScope(e)))));
}
