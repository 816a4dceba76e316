import { emit, emitOpaque, type Invocation, type OpSpec } from "./context.js";
import type { Handler } from "./dispatch.js";

/**
 * Windows system tools, whichever shell runs them (PowerShell, cmd, Git Bash): the ones that remove
 * backups, break booting, wipe free space or logs, or erase volumes.
 */

function judge(inv: Invocation, spec: Omit<OpSpec, "summary"> & { what: string }): void {
  const { what, ...rest } = spec;
  emit(inv, { ...rest, summary: `${inv.program} ${inv.argv.join(" ").slice(0, 80)}: ${what}` });
}

const lower = (inv: Invocation) => inv.argv.map((a) => a.toLowerCase());

const READ: Omit<OpSpec, "summary" | "name"> = { effect: "read", envHints: ["local"] };

/** `vssadmin delete shadows /all /quiet`, `vssadmin resize shadowstorage … /maxsize=401MB`. */
const vssadmin: Handler = (inv) => {
  const [verb = "", noun = ""] = lower(inv);
  if (verb === "delete" || (verb === "resize" && noun === "shadowstorage"))
    judge(inv, {
      name: "vssadmin delete shadows",
      effect: "delete",
      what: "removes the volume shadow copies (the machine's restore points and backups)",
      reversibility: "irreversible",
      blastRadius: "host",
      tags: ["data-loss"],
    });
  else judge(inv, { name: "vssadmin", ...READ, what: "only reads" });
};

/** `wmic shadowcopy delete`; other wmic queries read, calls and deletes change the machine. */
const wmic: Handler = (inv) => {
  const args = lower(inv);
  if (args.includes("shadowcopy") && args.includes("delete"))
    judge(inv, {
      name: "wmic shadowcopy delete",
      effect: "delete",
      what: "removes the volume shadow copies",
      reversibility: "irreversible",
      blastRadius: "host",
      tags: ["data-loss"],
    });
  else if (args.some((a) => a === "delete" || a === "call"))
    judge(inv, {
      name: "wmic change",
      effect: "write",
      what: "changes or removes machine objects",
      reversibility: "irreversible",
      blastRadius: "host",
    });
  else judge(inv, { name: "wmic", ...READ, what: "only reads" });
};

/** `bcdedit /set {default} recoveryenabled no`, `/delete`: the boot configuration. */
const bcdedit: Handler = (inv) => {
  const args = lower(inv);
  if (args.length === 0 || args.every((a) => a === "/enum" || a === "/v" || a.startsWith("{") || a === "all"))
    judge(inv, { name: "bcdedit", ...READ, what: "only reads the boot configuration" });
  else
    judge(inv, {
      name: "bcdedit change",
      effect: "write",
      what: "changes the boot configuration: a mistake leaves the machine unable to start or recover",
      reversibility: "irreversible",
      blastRadius: "host",
      tags: ["outage"],
    });
};

/** `cipher /w:C:\` overwrites every freed block: deleted files can never be recovered. */
const cipher: Handler = (inv) => {
  if (lower(inv).some((a) => a.startsWith("/w")))
    judge(inv, {
      name: "cipher /w",
      effect: "delete",
      what: "overwrites the volume's free space: deleted files are gone for good",
      reversibility: "irreversible",
      blastRadius: "host",
      tags: ["data-loss"],
    });
  else if (lower(inv).some((a) => a === "/e" || a === "/d" || a === "/r" || a === "/k"))
    judge(inv, {
      name: "cipher",
      effect: "write",
      what: "encrypts or decrypts files",
      reversibility: "recoverable",
      blastRadius: "service",
    });
  else judge(inv, { name: "cipher", ...READ, what: "only reads" });
};

/** `wevtutil cl Security`: the event logs. */
const wevtutil: Handler = (inv) => {
  const [verb = ""] = lower(inv);
  if (verb === "cl" || verb === "clear-log" || verb === "sl" || verb === "set-log" || verb === "um")
    judge(inv, {
      name: "wevtutil clear",
      effect: "delete",
      what: "clears or disables an event log (the machine's audit trail)",
      reversibility: "irreversible",
      blastRadius: "host",
      tags: ["data-loss"],
    });
  else judge(inv, { name: "wevtutil", ...READ, what: "only reads" });
};

/** `reg delete HKLM\…`, `reg add …`: the registry. */
const reg: Handler = (inv) => {
  const [verb = "", key = ""] = lower(inv);
  const machine = /^(hklm|hkey_local_machine)/.test(key);
  if (verb === "delete" || verb === "add" || verb === "import" || verb === "restore" || verb === "copy")
    judge(inv, {
      name: `reg ${verb}`,
      effect: verb === "delete" ? "delete" : "write",
      what: `changes the registry${machine ? " of the whole machine" : ""}`,
      reversibility: "recoverable",
      blastRadius: machine ? "host" : "resource",
    });
  else judge(inv, { name: "reg", ...READ, what: "only reads" });
};

/** `sc delete svc`, `sc stop svc`, `sc config svc start= disabled`. */
const sc: Handler = (inv) => {
  const [verb = ""] = lower(inv).filter((a) => !a.startsWith("\\\\"));
  if (/^(delete|stop|config|failure|pause)$/.test(verb))
    judge(inv, {
      name: `sc ${verb}`,
      effect: verb === "delete" ? "delete" : "write",
      what: "removes, stops or reconfigures a Windows service",
      reversibility: verb === "delete" ? "irreversible" : "recoverable",
      blastRadius: "service",
      tags: ["outage"],
    });
  else judge(inv, { name: "sc", ...READ, what: "only reads" });
};

const format: Handler = (inv) => {
  const volume = inv.argv.find((a) => !a.startsWith("/")) ?? "";
  judge(inv, {
    name: "format",
    effect: "delete",
    what: "erases the volume",
    reversibility: "irreversible",
    blastRadius: "host",
    targets: [{ type: "volume", name: volume }],
    tags: ["wipe", "data-loss"],
  });
};

/** diskpart reads its commands from a script or standard input airlock does not read: it can erase disks. */
const diskpart: Handler = (inv) => {
  emitOpaque(
    inv,
    "diskpart",
    "diskpart runs disk commands (clean, delete partition, format) airlock cannot see",
    { blastRadius: "host" },
  );
};

export const WINDOWS: Record<string, Handler> = {
  vssadmin,
  wmic,
  bcdedit,
  cipher,
  wevtutil,
  reg,
  sc,
  format,
  diskpart,
};
