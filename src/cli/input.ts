import { quoteWord } from "../analyze/shell/quote.js";

/** Turn `airlock check -- CMD ARGS…` into a shell command line, quoting only what needs it. */
export function commandLineFromArgs(args: readonly string[]): string {
  // One argument is taken as a whole command line, as people type `airlock check -- 'rm -rf x && ls'`.
  if (args.length === 1) return args[0] ?? "";
  return args.map(quoteWord).join(" ");
}

export interface ShellOptions {
  cwd?: string;
  environment?: string;
}

export function shellActionFromArgs(args: readonly string[], options: ShellOptions): Record<string, unknown> {
  return {
    kind: "shell",
    command: commandLineFromArgs(args),
    cwd: options.cwd ?? process.cwd(),
    ...(options.environment ? { context: { environment: options.environment } } : {}),
  };
}

/** Parse one JSON Action; a parse failure is returned as a message, not thrown. */
export function parseJsonAction(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: `not valid JSON (${(err as Error).message})` };
  }
}
