import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Session } from "./session.js";

export const STYLE_PATH = "/ui/style.css";
export const SCRIPT_PATH = "/ui/countdown.js";

type Section = "requests" | "history" | "audit" | "pauses";

const NAV: { section: Section; href: string; label: string }[] = [
  { section: "requests", href: "/requests", label: "Requests" },
  { section: "history", href: "/history", label: "History" },
  { section: "audit", href: "/audit", label: "Audit log" },
  { section: "pauses", href: "/pauses", label: "Kill switch" },
];

/** Every state-changing form carries the session's CSRF token. */
export function CsrfField(props: { session: Session }) {
  return <input type="hidden" name="csrf" value={props.session.csrf} />;
}

function Bar(props: { session?: Session; here?: Section }) {
  const { session, here } = props;
  return (
    <header class="bar">
      <div class="inner">
        <span class="brand">airlock</span>
        {session && (
          <nav>
            {NAV.map((n) => (
              <a href={n.href} class={n.section === here ? "here" : undefined}>
                {n.label}
              </a>
            ))}
          </nav>
        )}
        {session && (
          <div class="who">
            <span>
              {session.identity.name} · {session.identity.role}
              {session.identity.groups.length > 0 && ` (${session.identity.groups.join(", ")})`}
            </span>
            <form method="post" action="/logout">
              <CsrfField session={session} />
              <button type="submit">Sign out</button>
            </form>
          </div>
        )}
      </div>
    </header>
  );
}

export function Layout(props: { title: string; session?: Session; here?: Section; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · airlock</title>
        <link rel="stylesheet" href={STYLE_PATH} />
        <script src={SCRIPT_PATH} defer></script>
      </head>
      <body>
        <Bar session={props.session} here={props.here} />
        <main class="inner">{props.children}</main>
      </body>
    </html>
  );
}

/** Send a page; JSX escapes every value it is given, so nothing from a request is ever raw HTML. */
export function sendPage(c: Context, page: Child, status: ContentfulStatusCode = 200): Response {
  return c.html(`<!DOCTYPE html>${String(page)}`, status);
}

export type Flash = { kind: "refused" | "done" | "info"; text: string };

export function FlashMessage(props: { flash?: Flash }) {
  return props.flash ? (
    <div class={`flash ${props.flash.kind}`} role={props.flash.kind === "refused" ? "alert" : "status"}>
      {props.flash.text}
    </div>
  ) : null;
}
