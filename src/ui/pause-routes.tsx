import type { Context, Hono } from "hono";
import {
  formatScope,
  type ParsedScope,
  parseScope,
  SCOPE_KINDS,
  type ScopeKind,
  scopeOf,
} from "../policy/scope.js";
import { field, type PageDeps, postedForm, Refused, signedIn } from "./guard.js";
import { sendPage } from "./layout.js";
import { ConfirmPausePage, type PauseChange, PausesPage } from "./pauses-page.js";
import type { Session } from "./session.js";

const DONE: Record<string, string> = {
  pause: "Paused. The audit log records it under your name.",
  resume: "Resumed. The audit log records it under your name.",
};

/** The change a posted form asks for, or undefined when it is incomplete. */
function changeOf(form: Record<string, unknown>): PauseChange | undefined {
  const verb = field(form, "verb");
  if (verb !== "pause" && verb !== "resume") return undefined;
  const reason = field(form, "reason")?.slice(0, 2000);
  const scope = scopeInForm(form);
  if (scope === undefined || !scope.ok) return undefined;
  return { verb, scope: scope.scope, ...(reason ? { reason } : {}) };
}

/** A scope as its stored text (a resume button) or as a kind and a name (the pause form). */
function scopeInForm(form: Record<string, unknown>): ParsedScope | undefined {
  const text = field(form, "scope");
  if (text !== undefined) return parseScope(text);
  const kind = field(form, "kind");
  if (kind === undefined || !(SCOPE_KINDS as readonly string[]).includes(kind)) return undefined;
  return scopeOf(kind as ScopeKind, field(form, "name"));
}

/** The kill switch on the page: everyone signed in sees the pauses; only an admin changes them, after confirming. */
export function mountPauses(ui: Hono, deps: PageDeps): void {
  const monitor = deps.service.monitor;

  async function adminForm(
    c: Context,
  ): Promise<{ session: Session; change: PauseChange; confirmed: boolean } | Response> {
    const posted = await postedForm(c, deps);
    if (posted instanceof Response) return posted;
    const { session, form } = posted;
    if (session.identity.role !== "admin") {
      const text = "Only an admin pauses or resumes; nothing was done.";
      return sendPage(c, <Refused title="Refused" session={session} text={text} />, 403);
    }
    const change = changeOf(form);
    if (!change) {
      const text =
        "The form was incomplete: pause or resume, and what (an agent, a person, an environment, or every agent).";
      return sendPage(c, <Refused title="Nothing was done" session={session} text={text} />, 400);
    }
    return { session, change, confirmed: form.confirm === "yes" };
  }

  ui.get("/pauses", async (c) => {
    const session = await signedIn(c, deps);
    if (session instanceof Response) return session;
    const done = DONE[c.req.query("done") ?? ""];
    return sendPage(
      c,
      <PausesPage
        session={session}
        pauses={await monitor.pauses()}
        flash={done ? { kind: "done", text: done } : undefined}
      />,
    );
  });

  ui.post("/pauses/confirm", async (c) => {
    const asked = await adminForm(c);
    if (asked instanceof Response) return asked;
    return sendPage(c, <ConfirmPausePage session={asked.session} change={asked.change} />);
  });

  ui.post("/pauses/apply", async (c) => {
    const asked = await adminForm(c);
    if (asked instanceof Response) return asked;
    const { session, change } = asked;
    if (!asked.confirmed) return sendPage(c, <ConfirmPausePage session={session} change={change} />);
    const by = session.identity.name;
    const scope = formatScope(change.scope);
    if (change.verb === "pause") await monitor.pause(scope, by, change.reason);
    else await monitor.resume(scope, by, change.reason);
    return c.redirect(`/pauses?done=${change.verb}`, 303);
  });
}
