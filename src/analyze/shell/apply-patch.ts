import { emit, emitOpaque, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { resolvePath } from "./state.js";

/** The files an `apply_patch` patch adds, updates, moves to or deletes. */
export function patchedFiles(patch: string): { writes: string[]; deletes: string[] } {
  const writes: string[] = [];
  const deletes: string[] = [];
  for (const line of patch.split("\n")) {
    const m = /^\*\*\* (Add File|Update File|Move to|Delete File): (.+)$/.exec(line);
    const path = m?.[2]?.trimEnd();
    if (!path) continue;
    (m?.[1] === "Delete File" ? deletes : writes).push(path);
  }
  return { writes, deletes };
}

/**
 * `apply_patch` run as a command (Codex's shell sends it so, and any agent can): the files its patch
 * names are written or deleted, as the file tools would; a patch airlock cannot read is opaque.
 */
function applyPatch(inv: Invocation): void {
  const stdin = inv.stdin.kind === "text" && inv.stdin.known ? inv.stdin.text : undefined;
  const patch = inv.args.find((w) => w.known && w.value.includes("*** Begin Patch"))?.value ?? stdin;
  if (patch === undefined) {
    emitOpaque(inv, "apply_patch (opaque)", "apply_patch applies a patch airlock cannot see");
    return;
  }
  const { writes, deletes } = patchedFiles(patch);
  for (const [paths, effect] of [
    [writes, "write"],
    [deletes, "delete"],
  ] as const) {
    if (paths.length === 0) continue;
    const resolved = paths.map((p) => resolvePath(inv.state, p) ?? p);
    emit(inv, {
      name: `apply_patch ${effect === "write" ? "writes" : "deletes"}`,
      effect,
      summary: `apply_patch ${effect === "write" ? "writes" : "deletes"} ${resolved.join(", ")}`,
      reversibility: "recoverable",
      targets: resolved.map((name) => ({ type: "path", name })),
      envHints: ["local"],
    });
  }
}

export const APPLY_PATCH: Record<string, Handler> = { apply_patch: applyPatch, applypatch: applyPatch };
