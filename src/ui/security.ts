import type { Context, MiddlewareHandler } from "hono";

/**
 * The page trusts only itself: scripts and styles from its own static routes (no inline code, so an
 * injected tag could not run even if escaping ever failed), forms posting back to itself, no framing.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

export const pageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header("Content-Security-Policy", CSP);
  c.header("X-Content-Type-Options", "nosniff");
  c.header("X-Frame-Options", "DENY");
  // Not no-referrer: with it, browsers send `Origin: null` on our own forms, and the origin check needs it.
  c.header("Referrer-Policy", "same-origin");
  c.header("Cross-Origin-Opener-Policy", "same-origin");
  c.header("Cross-Origin-Resource-Policy", "same-origin");
  c.header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
};

/**
 * A state-changing form must come from this site. Browsers say where a request came from in
 * Sec-Fetch-Site and Origin; where they are present they must agree that it is this page. The CSRF
 * token in the form is the main defence; this refuses cross-site posts before a session is even read.
 */
export function fromThisSite(c: Context): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined && site !== "same-origin") return false;
  const origin = c.req.header("origin");
  if (origin === undefined) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const ours = [c.req.header("host"), c.req.header("x-forwarded-host"), new URL(c.req.url).host];
  return ours.some((h) => h !== undefined && h.toLowerCase() === host.toLowerCase());
}
