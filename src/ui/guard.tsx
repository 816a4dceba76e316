import type { Context } from "hono";
import type { Identity } from "../approvals/identity.js";
import type { ApprovalService } from "../approvals/service.js";
import type { Store } from "../store/port.js";
import { Layout, sendPage } from "./layout.js";
import { fromThisSite } from "./security.js";
import { csrfMatches, currentSession, type Session } from "./session.js";

export interface PageDeps {
  service: ApprovalService;
  store: Store;
  /** The audit log's verifier key, to check checkpoints with. */
  verifierKey: string;
  /** Identities the configuration declares: their role and groups win over what a token recorded. */
  identities: ReadonlyMap<string, Identity>;
  clock?: () => number;
}

/** A path on this site to return to after signing in; anything else (another host, `//x`) is dropped. */
export function safeNext(next: unknown): string | undefined {
  return typeof next === "string" && /^\/(?![/\\])[A-Za-z0-9/_.~%-]*$/.test(next) && next.length < 300
    ? next
    : undefined;
}

/** The signed-in person, or a redirect to the sign-in page that comes back here. */
export async function signedIn(c: Context, deps: PageDeps): Promise<Session | Response> {
  const session = await currentSession(c, deps);
  if (session) return session;
  const next = safeNext(c.req.path);
  return c.redirect(next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login", 303);
}

export function Refused(props: { title: string; text: string; session?: Session }) {
  return (
    <Layout title={props.title} session={props.session}>
      <h1>{props.title}</h1>
      <div class="flash refused" role="alert">
        {props.text}
      </div>
      <p>
        <a href="/requests">Back to the requests</a>
      </p>
    </Layout>
  );
}

/**
 * A state-changing form, accepted only from this site, from a live session, carrying that session's
 * CSRF token. Returns the session and the form's fields, or the refusal to send.
 */
export async function postedForm(
  c: Context,
  deps: PageDeps,
): Promise<{ session: Session; form: Record<string, unknown> } | Response> {
  if (!fromThisSite(c)) {
    return sendPage(
      c,
      <Refused title="Refused" text="This form was sent from another site; nothing was done." />,
      403,
    );
  }
  const session = await currentSession(c, deps);
  if (!session) return c.redirect("/login", 303);
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  if (!csrfMatches(session, form.csrf)) {
    return sendPage(
      c,
      <Refused
        title="Refused"
        session={session}
        text="This form is stale or did not come from this page (its CSRF token does not match your session); nothing was done. Reload the page and try again."
      />,
      403,
    );
  }
  return { session, form };
}

/** A form field as trimmed text, or undefined when absent, empty, or not text. */
export function field(form: Record<string, unknown>, name: string): string | undefined {
  const value = form[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
