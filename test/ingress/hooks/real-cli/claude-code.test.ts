import { claudeCode } from "./agents.js";
import { realCliCases } from "./cases.js";

/** Claude Code (@anthropic-ai/claude-code), headless (`claude -p`), its model at ANTHROPIC_BASE_URL. */

realCliCases(claudeCode);
