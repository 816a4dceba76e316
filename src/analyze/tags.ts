/**
 * The tags analyzers put on operations, and the only ones a policy may name: a policy that matches
 * on a tag not listed here (a misspelling, a tag no analyzer emits) fails at load instead of never
 * matching. A test checks that every tag the corpora produce is listed.
 */
export const TAGS = {
  "agent-tool":
    "an agent CLI's own tool that reads or keeps the agent's own state (Read, read_file, TodoWrite…)",
  "airlock-control": "runs a command that votes on, lifts or removes one of airlock's own controls",
  "airlock-process": "stops or kills airlock's own processes",
  bulk: "reaches many objects at once (a wildcard, a list, every row)",
  cancellable: "can be stopped before it completes (a replacement Terraform can still abandon)",
  "create-before-destroy": "the replacement is created before the old resource is destroyed",
  "credential-read": "reads credentials or secret configuration (environment variables of a platform)",
  "data-loss": "data is lost, not just a definition or a setting",
  deferred: "schedules a command to run later (at, batch, crontab, systemd-run --on-*)",
  "delete-then-recreate": "destroyed first, then created anew: what it held is gone in between",
  exfiltration: "sends secrets read on the same line to another host",
  loopback: "sent to this machine (localhost, 127.0.0.0/8, ::1)",
  outage: "stops or disrupts a running service",
  parse_limit: "airlock stopped reading: the input was larger or deeper than its limits",
  "privilege-escalation": "grants more rights than the actor had",
  publish: "publishes a package or artifact to a registry (npm publish, cargo publish, twine upload)",
  public: "opens something to the internet or to everyone",
  "remote-code": "runs code downloaded in the same line (curl … | sh)",
  "schema-change": "changes a database schema",
  "secret-read": "reads a secret (credentials, keys, tokens)",
  "security-disable": "switches off a security control (antivirus, firewall, audit)",
  stateful: "holds data (a database, a volume, a bucket, a table)",
  unbounded: "has no bound on what it reaches (a DELETE or UPDATE without WHERE)",
  wipe: "wipes a host, a root filesystem, a home directory or an account",
} as const;

export type Tag = keyof typeof TAGS;

export function isTag(name: string): name is Tag {
  return Object.hasOwn(TAGS, name);
}
