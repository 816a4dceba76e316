import { copilot } from "./agents.js";
import { realCliCases } from "./cases.js";

/**
 * GitHub Copilot CLI (@github/copilot), headless (`copilot -p --allow-all-tools`), offline
 * (COPILOT_OFFLINE), its model a bring-your-own Anthropic provider at COPILOT_PROVIDER_BASE_URL.
 */

realCliCases(copilot);
