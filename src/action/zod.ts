/**
 * Schemas use zod/mini, a small fraction of full zod's size, which a cold `airlock check` has to
 * compile. It carries no messages of its own; importing this module installs the English ones,
 * once, so that errors say what was wrong. Import it for its effect beside `zod/mini`
 * (re-exporting zod's namespace would defeat tree-shaking and bring all of zod back).
 */
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config(en());
