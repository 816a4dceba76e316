import type { Context, Hono } from "hono";
import { REFUSAL_WINDOW_MS, REFUSALS_PER_WINDOW } from "../approvals/refusal-throttle.js";
import { hashToken, resolveToken } from "../approvals/tokens.js";
import { sourceOf } from "../ingress/http/errors.js";
import { field, type PageDeps, postedForm, Refused, safeNext } from "./guard.js";
import { sendPage } from "./layout.js";
import { LoginPage } from "./login-page.js";
import { fromThisSite } from "./security.js";
import { currentSession, endSession, startSession } from "./session.js";

/** Sign in with a token, sign out. Agents never get a session: approvals come from people. */
export function mountAuth(ui: Hono, deps: PageDeps): void {
  /** A failed sign-in, recorded within its source's budget; false when over it. */
  const refusedSignIn = (
    source: string,
    code: "unauthorized" | "wrong_role",
    message: string,
    by?: string,
  ): Promise<boolean> =>
    deps.service
      .recordRefusal(`sign-in:${source}`, {
        type: "request.rejected",
        method: "POST",
        path: "/login",
        source,
        ...(by ? { by } : {}),
        code,
        message,
      })
      .catch(() => true);

  ui.get("/login", async (c) => {
    const next = safeNext(c.req.query("next"));
    if (await currentSession(c, deps)) return c.redirect(next ?? "/requests", 303);
    return sendPage(c, <LoginPage next={next} />);
  });

  ui.post("/login", async (c) => {
    if (!fromThisSite(c)) {
      return sendPage(
        c,
        <Refused title="Refused" text="This form was sent from another site; nothing was done." />,
        403,
      );
    }
    const source = sourceOf(c);
    const form = (await c.req.parseBody()) as Record<string, unknown>;
    const next = safeNext(form.next);
    // Too many failed sign-ins from this address: refused before the token is even looked at.
    if (deps.service.refusalBlocked(`sign-in:${source}`)) {
      await refusedSignIn(source, "unauthorized", "too many failed sign-ins"); // counted, not logged
      return tooMany(c, next);
    }
    const token = field(form, "token") ?? "";
    const identity = await resolveToken(deps.store, token, deps.identities);
    if (!identity) {
      if (!(await refusedSignIn(source, "unauthorized", token ? "unknown or revoked token" : "no token")))
        return tooMany(c, next);
      const text = "That token is unknown or revoked. Use the token `airlock token create` printed for you.";
      return sendPage(c, <LoginPage flash={{ kind: "refused", text }} next={next} />, 401);
    }
    if (identity.role === "agent") {
      await refusedSignIn(source, "wrong_role", "an agent's token cannot open a page session", identity.name);
      const text = `${identity.name} is an agent. Agents cannot sign in: approvals must come from people.`;
      return sendPage(c, <LoginPage flash={{ kind: "refused", text }} next={next} />, 403);
    }
    // A new sign-in replaces the session this browser had, if any.
    const previous = await currentSession(c, deps);
    if (previous) await deps.store.deleteSession(previous.hash);
    await startSession(c, deps, identity, hashToken(token));
    return c.redirect(next ?? "/requests", 303);
  });

  ui.post("/logout", async (c) => {
    const posted = await postedForm(c, deps);
    if (posted instanceof Response) return posted;
    await endSession(c, deps, posted.session);
    return c.redirect("/login", 303);
  });
}

function tooMany(c: Context, next: string | undefined): Response | Promise<Response> {
  c.header("Retry-After", String(REFUSAL_WINDOW_MS / 1000));
  const text = `Too many failed sign-ins from your address (over ${REFUSALS_PER_WINDOW} a minute). Wait a minute and try again.`;
  return sendPage(c, <LoginPage flash={{ kind: "refused", text }} next={next} />, 429);
}
