import { parseArgs } from "./args.js";
import { emit, type Invocation, type OpSpec } from "./context.js";
import type { Handler } from "./dispatch.js";

const hostOp =
  (name: string, summary: string, extra: Partial<OpSpec> = {}) =>
  (inv: Invocation) =>
    void emit(inv, {
      name,
      effect: "write",
      summary: `${name} ${summary}`,
      reversibility: "recoverable",
      blastRadius: "host",
      tags: ["outage"],
      ...extra,
    });

function kill(inv: Invocation): void {
  const targets = inv.argv.filter(
    (a) => !/^-[A-Z0-9]+$|^-s$|^--signal/.test(a) && !/^(KILL|TERM|HUP|INT|9|15)$/.test(a),
  );
  const all = inv.argv.includes("-1") || targets.includes("-1");
  if (inv.argv.includes("-0") || inv.argv.includes("-l")) {
    emit(inv, { name: "kill -0", effect: "read", summary: "kill -0 checks a process exists" });
    return;
  }
  emit(
    inv,
    all
      ? {
          name: "kill -1",
          effect: "write",
          summary: "kill -1 kills every process the user may signal",
          reversibility: "recoverable",
          blastRadius: "host",
          tags: ["outage"],
        }
      : {
          name: "kill",
          effect: "write",
          summary: `kill ${targets.join(" ")}`,
          reversibility: "recoverable",
          blastRadius: "resource",
          targets: targets.map((t) => ({ type: "process", name: t })),
          envHints: ["local"],
        },
  );
}

function systemctl(inv: Invocation): void {
  const ops = parseArgs(inv.args, new Set(["-H", "--host", "-M", "--signal", "-s"])).operands.map(
    (o) => o.value,
  );
  const [verb = "", ...units] = ops;
  const name = `${inv.program} ${verb}`;
  if (
    [
      "status",
      "show",
      "list-units",
      "list-unit-files",
      "is-active",
      "is-enabled",
      "cat",
      "list-timers",
      "--version",
      "help",
    ].includes(verb) ||
    verb === ""
  ) {
    emit(inv, { name, effect: "read", summary: `${name} only reads` });
    return;
  }
  const outage = [
    "stop",
    "disable",
    "mask",
    "restart",
    "kill",
    "isolate",
    "poweroff",
    "reboot",
    "halt",
    "try-restart",
    "reload-or-restart",
  ].includes(verb);
  const host = ["poweroff", "reboot", "halt", "isolate", "rescue", "emergency"].includes(verb);
  emit(inv, {
    name,
    effect: "write",
    summary: `${name} ${units.join(" ")}${outage ? ": the service stops serving" : ""}`,
    reversibility: "recoverable",
    blastRadius: host ? "host" : "service",
    targets: units.map((u) => ({ type: "service", name: u })),
    tags: outage ? ["outage"] : [],
    envHints: units,
  });
}

/** `service NAME stop`: the old spelling. */
function service(inv: Invocation): void {
  const [unit = "", verb = ""] = inv.argv;
  if (verb === "status" || unit === "--status-all") {
    emit(inv, { name: "service status", effect: "read", summary: "service status only reads" });
    return;
  }
  const outage = ["stop", "restart"].includes(verb);
  emit(inv, {
    name: `service ${verb}`,
    effect: "write",
    summary: `service ${unit} ${verb}`,
    reversibility: "recoverable",
    blastRadius: "service",
    targets: [{ type: "service", name: unit }],
    tags: outage ? ["outage"] : [],
    envHints: [unit],
  });
}

function firewall(inv: Invocation): void {
  const flush = inv.argv.some((a) =>
    /^(-F|--flush|-X|--delete-chain|-Z|flush|reset|disable|--reset)$/.test(a),
  );
  const list = inv.argv.some((a) => /^(-L|--list|-S|list|status|show)$/.test(a));
  if (list && !flush) {
    emit(inv, {
      name: `${inv.program} -L`,
      effect: "read",
      summary: `${inv.program} lists rules`,
    });
    return;
  }
  emit(inv, {
    name: flush ? `${inv.program} flush` : inv.program,
    effect: flush ? "delete" : "privilege",
    summary: `${inv.program} ${inv.argv.join(" ")}${flush ? ": removes every firewall rule" : ""}`,
    reversibility: flush ? "irreversible" : "recoverable",
    blastRadius: "host",
    tags: flush ? ["outage"] : [],
  });
}

const users = (name: string, effect: OpSpec["effect"]) => (inv: Invocation) => {
  const target = inv.argv.filter((a) => !a.startsWith("-")).pop() ?? "";
  const admin = inv.argv.some((a) => /\b(sudo|wheel|admin|root)\b/.test(a));
  emit(inv, {
    name,
    effect,
    summary: `${name} ${inv.argv.join(" ")}`,
    reversibility: effect === "delete" ? "irreversible" : "recoverable",
    blastRadius: "service",
    targets: [{ type: "user", name: target }],
    tags: admin ? ["privilege-escalation"] : [],
  });
};

export const SYSTEM: Record<string, Handler> = {
  shutdown: hostOp("shutdown", "stops the machine"),
  reboot: hostOp("reboot", "restarts the machine"),
  halt: hostOp("halt", "stops the machine"),
  poweroff: hostOp("poweroff", "stops the machine"),
  init: (inv) =>
    inv.argv[0] === "0" || inv.argv[0] === "6"
      ? hostOp("init", "stops or restarts the machine")(inv)
      : undefined,
  kill,
  killall: hostOp("killall", "kills every process by that name", { blastRadius: "service" }),
  pkill: hostOp("pkill", "kills every matching process", { blastRadius: "service" }),
  systemctl,
  service,
  launchctl: systemctl,
  iptables: firewall,
  ip6tables: firewall,
  nft: firewall,
  ufw: firewall,
  userdel: users("userdel", "delete"),
  deluser: users("deluser", "delete"),
  usermod: users("usermod", "privilege"),
  useradd: users("useradd", "privilege"),
  passwd: users("passwd", "privilege"),
  visudo: users("visudo", "privilege"),
};
