import { CLI_NAMES, type CliHook, type CliName } from "./types.js";

/** One module per CLI, loaded when that CLI's hook runs: a hook call reads one adapter, not six. */
const LOADERS: Readonly<Record<CliName, () => Promise<CliHook>>> = {
  "claude-code": async () => (await import("./claude-code.js")).claudeCode,
  gemini: async () => (await import("./gemini.js")).gemini,
  cursor: async () => (await import("./cursor.js")).cursor,
  kiro: async () => (await import("./kiro.js")).kiro,
  codex: async () => (await import("./codex.js")).codex,
  copilot: async () => (await import("./copilot.js")).copilot,
};

export function loadCliHook(name: CliName): Promise<CliHook> {
  return LOADERS[name]();
}

export function loadAllCliHooks(): Promise<CliHook[]> {
  return Promise.all(CLI_NAMES.map(loadCliHook));
}
