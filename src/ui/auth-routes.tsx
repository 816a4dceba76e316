import type { Hono } from "hono";
import { hashToken, resolveToken } from "../approvals/tokens.js";
import { field, type PageDeps, postedForm, Refused, safeNext } from "./guard.js";
import { sendPage } from "./layout.js";
import { LoginPage } from "./login-page.js";
import { fromThisSite } from "./security.js";
import { currentSession, endSession, startSession } from "./session.js";

/** Sign in with a token, sign out. Agents never get a session: approvals come from people. */
export function mountAuth(ui: Hono, deps: PageDeps): void {
  const refusedSignIn = (code: "unauthorized" | "wrong_role", message: string, by?: string) =>
    deps.service
      .record({
        type: "request.rejected",
        method: "POST",
        path: "/login",
        ...(by ? { by } : {}),
        code,
        message,
      })
      .catch(() => undefined);

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
    const form = (await c.req.parseBody()) as Record<string, unknown>;
    const token = field(form, "token") ?? "";
    const next = safeNext(form.next);
    const identity = await resolveToken(deps.store, token, deps.identities);
    if (!identity) {
      await refusedSignIn("unauthorized", token ? "unknown or revoked token" : "no token");
      const text = "That token is unknown or revoked. Use the token `airlock token create` printed for you.";
      return sendPage(c, <LoginPage flash={{ kind: "refused", text }} next={next} />, 401);
    }
    if (identity.role === "agent") {
      await refusedSignIn("wrong_role", "an agent's token cannot open a page session", identity.name);
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
