import { isRecord } from "./event.js";
import type { CliName, Json, SettingsFormat } from "./types.js";

/**
 * The two shapes agent CLIs keep hooks in. Nested (Claude Code, Codex, Gemini CLI):
 * `hooks.Event = [{ matcher, hooks: [{ type: "command", command }] }]`. Flat (Cursor, Copilot, Kiro):
 * `hooks.event = [{ command }]`. Editing keeps everything else as it was and touches only entries
 * whose command runs `airlock … hook <cli>`.
 */

/** `… airlock hook <cli>`, or `… airlock-hook.mjs <cli>` (the light entry `airlock install` writes). */
export function isAirlockCommand(command: unknown, cli: CliName): boolean {
  return (
    typeof command === "string" &&
    new RegExp(`(airlock(\\.mjs)?['"]?\\s+hook|airlock-hook\\.mjs['"]?)\\s+['"]?${cli}['"]?(\\s|$)`).test(
      command,
    )
  );
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A copy of `settings` with `hooks[event]` replaced (or removed when empty, with `hooks` if it empties). */
function withEvent(settings: Json, event: string, entries: unknown[]): Json {
  const hooks: Json = { ...(isRecord(settings.hooks) ? settings.hooks : {}) };
  if (entries.length > 0) hooks[event] = entries;
  else delete hooks[event];
  const out: Json = { ...settings };
  if (Object.keys(hooks).length > 0) out.hooks = hooks;
  else delete out.hooks;
  return out;
}

function eventList(settings: Json, event: string): unknown[] {
  return list(isRecord(settings.hooks) ? settings.hooks[event] : undefined);
}

export interface NestedShape {
  cli: CliName;
  event: string;
  matcher: string;
  /** The hook entry, with the CLI's timeout for it in seconds (and variables to carry, where it takes them). */
  entry: (command: string, seconds: number, env?: Record<string, string>) => Json;
}

export function nestedFormat(shape: NestedShape, files: SettingsFormat["files"]): SettingsFormat {
  const ours = (hook: unknown) => isRecord(hook) && isAirlockCommand(hook.command, shape.cli);
  const stripped = (settings: Json): unknown[] =>
    eventList(settings, shape.event).flatMap((group) => {
      if (!isRecord(group) || !Array.isArray(group.hooks)) return [group];
      const kept = group.hooks.filter((h) => !ours(h));
      if (kept.length === group.hooks.length) return [group];
      return kept.length > 0 ? [{ ...group, hooks: kept }] : [];
    });
  return {
    files,
    add: (settings, command, seconds, env) =>
      withEvent(settings, shape.event, [
        ...stripped(settings),
        { matcher: shape.matcher, hooks: [shape.entry(command, seconds, env)] },
      ]),
    remove: (settings) => withEvent(settings, shape.event, stripped(settings)),
    commands: (settings) =>
      eventList(settings, shape.event).flatMap((group) =>
        isRecord(group)
          ? list(group.hooks)
              .filter(ours)
              .map((h) => String((h as Json).command))
          : [],
      ),
  };
}

export interface FlatShape {
  cli: CliName;
  events: readonly string[];
  /** The entry's field that holds the command line (`command`, or Copilot's `bash`). */
  field: string;
  entry: (command: string, seconds: number) => Json;
  /** Top-level fields the file must have (`version: 1`). */
  base?: Json;
}

export function flatFormat(shape: FlatShape, files: SettingsFormat["files"]): SettingsFormat {
  const ours = (entry: unknown) => isRecord(entry) && isAirlockCommand(entry[shape.field], shape.cli);
  const remove = (settings: Json) =>
    shape.events.reduce(
      (acc, event) =>
        withEvent(
          acc,
          event,
          eventList(acc, event).filter((e) => !ours(e)),
        ),
      settings,
    );
  return {
    files,
    add: (settings, command, seconds) =>
      shape.events.reduce(
        (acc, event) => withEvent(acc, event, [...eventList(acc, event), shape.entry(command, seconds)]),
        { ...shape.base, ...remove(settings) },
      ),
    remove: (settings) => {
      const out = remove(settings);
      const onlyBase = Object.keys(out).every(
        (k) => shape.base && k in shape.base && out[k] === shape.base[k],
      );
      return onlyBase ? {} : out;
    },
    commands: (settings) =>
      shape.events.flatMap((event) =>
        eventList(settings, event)
          .filter(ours)
          .map((e) => String((e as Json)[shape.field])),
      ),
  };
}
