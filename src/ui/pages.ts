import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../ingress/http/auth.js";
import { COUNTDOWN_JS } from "./assets/countdown.js";
import { STYLE_CSS } from "./assets/style.js";
import { mountAuth } from "./auth-routes.js";
import type { PageDeps } from "./guard.js";
import { SCRIPT_PATH, STYLE_PATH } from "./layout.js";
import { mountPauses } from "./pause-routes.js";
import { mountRequests } from "./request-routes.js";
import { pageHeaders } from "./security.js";

export type { PageDeps } from "./guard.js";

/** Every path the pages answer on; the security headers go on these and not on the JSON API. */
const PAGE_PATHS = [
  "/",
  "/login",
  "/logout",
  "/requests",
  "/requests/*",
  "/history",
  "/pauses",
  "/pauses/*",
  "/audit",
  "/ui/*",
  "/favicon.ico",
];

/** A form is a token, a digest and a comment: anything near this size is not one. */
const MAX_FORM_BYTES = 64 * 1024;

/**
 * The approvers' pages, on the server's own app: sign in, the requests with their votes and clocks,
 * the history and the audit view. Server-rendered; the only script is the countdown.
 */
export function mountPages(app: Hono<AppEnv>, deps: PageDeps): void {
  const ui = new Hono();
  const limit = bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: (c) => c.text("the form is larger than any airlock form", 413),
  });
  // Not `use("*")`: on the shared app that would reach the JSON API's routes too.
  for (const path of PAGE_PATHS) ui.use(path, pageHeaders, limit);
  ui.get(STYLE_PATH, (c) =>
    c.body(STYLE_CSS, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "no-cache" }),
  );
  ui.get(SCRIPT_PATH, (c) =>
    c.body(COUNTDOWN_JS, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "no-cache",
    }),
  );
  // Browsers ask for it on every page; answering saves a 404 in every console.
  ui.get("/favicon.ico", (c) => c.body(null, 204));
  mountAuth(ui, deps);
  mountRequests(ui, deps);
  mountPauses(ui, deps);
  app.route("/", ui);
}
