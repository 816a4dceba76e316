import type { PsCommand, PsWord } from "../code/powershell.js";
import { emit, emitOpaque, type Invocation } from "./context.js";
import { delegate } from "./delegates.js";
import { destroyPaths, writePaths } from "./filesystem.js";
import { changeDirectory } from "./state.js";
import { posixOf, type WindowsNamer, windowsNamer } from "./windows-paths.js";
import { literalWord, type Word } from "./words.js";

/** The rules for PowerShell cmdlets and their aliases; native programs go to the shell rules. */

const ALIASES: Record<string, string> = {
  ri: "remove-item",
  rm: "remove-item",
  rmdir: "remove-item",
  del: "remove-item",
  erase: "remove-item",
  rd: "remove-item",
  clc: "clear-content",
  cli: "clear-item",
  iex: "invoke-expression",
  iwr: "invoke-webrequest",
  irm: "invoke-restmethod",
  start: "start-process",
  saps: "start-process",
  cd: "set-location",
  chdir: "set-location",
  sl: "set-location",
  pushd: "push-location",
  gci: "get-childitem",
  ls: "get-childitem",
  dir: "get-childitem",
  icm: "invoke-command",
  "%": "foreach-object",
  foreach: "foreach-object",
  "?": "where-object",
  where: "where-object",
  sc: "set-content",
  ni: "new-item",
  cp: "copy-item",
  copy: "copy-item",
  cpi: "copy-item",
  mv: "move-item",
  move: "move-item",
  mi: "move-item",
  kill: "stop-process",
  spps: "stop-process",
  cat: "get-content",
  gc: "get-content",
  type: "get-content",
  echo: "write-output",
};

/** Parameters that take no value (the rest take the next word). */
const SWITCHES = [
  "recurse",
  "force",
  "whatif",
  "confirm",
  "verbose",
  "debug",
  "passthru",
  "asjob",
  "nonewline",
  "append",
  "noclobber",
  "wait",
  "nonewwindow",
  "full",
  "deletebucketcontent",
  "deleteallversions",
  "deletedatadisks",
];

interface Params {
  switches: Set<string>;
  values: Map<string, PsWord>;
  positional: PsWord[];
}

function params(command: PsCommand, valued: string[]): Params {
  const p: Params = { switches: new Set(), values: new Map(), positional: [] };
  const words = command.words;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as PsWord;
    const text = w.text ?? "";
    if (!/^-[A-Za-z]/.test(text) || w.raw.startsWith('"') || w.raw.startsWith("'")) {
      p.positional.push(w);
      continue;
    }
    const name = text.slice(1).toLowerCase();
    const full = valued.find((v) => v.startsWith(name)) ?? SWITCHES.find((s) => s.startsWith(name)) ?? name;
    const next = words[i + 1];
    const isSwitch =
      SWITCHES.includes(full) || (!valued.includes(full) && (!next || /^-[A-Za-z]/.test(next.text ?? "")));
    if (isSwitch && !/^\$(true|false)$/i.test(next?.text ?? "")) p.switches.add(full);
    else if (isSwitch) {
      if (next?.text?.toLowerCase() === "$true") p.switches.add(full);
      i++;
    } else {
      if (next) p.values.set(full, next);
      i++;
    }
  }
  return p;
}

/** The paths a command names, or what its pipeline input names (`Get-ChildItem D:\data | Remove-Item`). */
function pathsOf(command: PsCommand, p: Params): (string | undefined)[] {
  const named = p.values.get("path") ?? p.values.get("literalpath");
  const given = named ? [named] : p.positional;
  if (given.length > 0) return given.flatMap((w) => (w.text === undefined ? [undefined] : w.text.split(",")));
  const input = command.input;
  if (!input) return [];
  if (input.kind === "expression") return [input.value.text];
  const source = input.command;
  const sp = params(source, ["path", "literalpath", "filter", "include", "exclude", "depth"]);
  return pathsOf(source, sp).map((x) => x ?? undefined);
}

type Run = (code: string) => void;

export function cmdlet(inv: Invocation, command: PsCommand, runPs: Run): void {
  const rawName = command.name.text;
  if (rawName === undefined) {
    emitOpaque(
      inv,
      "powershell computed command",
      `runs a command only known at run time: ${command.name.raw.slice(0, 40)}`,
    );
    return;
  }
  const base = rawName.replace(/^.*[\\/]/, "").replace(/\.exe$/i, "");
  const name = ALIASES[base.toLowerCase()] ?? base.toLowerCase();
  const from = inv.session.operations.length;
  const namer = windowsNamer();
  const handled = rule(inv, name, command, runPs, namer);
  if (handled) {
    namer.rename(inv, from);
    return;
  }
  // A native program (`git`, `aws`, `C:\Program Files\Git\bin\git.exe`): the shell's rules.
  const words: Word[] = [
    literalWord(rawName),
    ...command.words.map((w) => (w.text === undefined ? unknownWord(w.raw) : literalWord(w.text))),
  ];
  inv.dispatch(words, { kind: "none" });
}

function unknownWord(raw: string): Word {
  return { value: raw, known: false, ifEmpty: "", glob: false, substitutions: [] };
}

const READ_VERBS =
  /^(get|test|select|measure|where|foreach|sort|group|format|write|out|convertto|convertfrom|compare|resolve|join|split|find|show|read|import|tee|trace|wait|debug|search|receive|use|enter|exit|pop|push|describe)-/;
const WRITE_VERBS =
  /^(set|new|add|copy|move|rename|export|out|install|update|enable|register|publish|send|save|start|restart|invoke|mount|edit|sync|grant|protect)-/;
const DESTROY_VERBS =
  /^(remove|clear|stop|uninstall|disable|reset|unregister|revoke|dismount|unpublish|deny|block|suspend|initialize|format|repair)-/;
const FORMATTERS = /^format-(table|list|wide|custom|hex|string|number)$/;
const AWS_TOOLS: Record<string, string> = {
  s3: "s3",
  ec2: "ec2",
  rds: "rds",
  cfn: "cloudformation",
  ddb: "dynamodb",
  iam: "iam",
  lm: "lambda",
  eb: "elasticbeanstalk",
  kms: "kms",
  ecs: "ecs",
  eks: "eks",
  r53: "route53",
};

function rule(inv: Invocation, name: string, command: PsCommand, runPs: Run, namer: WindowsNamer): boolean {
  const windowsWord = namer.word;
  switch (name) {
    case "remove-item":
    case "clear-content":
    case "clear-item": {
      const p = params(command, [
        "path",
        "literalpath",
        "filter",
        "include",
        "exclude",
        "stream",
        "credential",
      ]);
      if (p.switches.has("whatif"))
        return readOnly(inv, "Remove-Item -WhatIf", "only shows what would be deleted");
      const paths = pathsOf(command, p);
      const recursive =
        p.switches.has("recurse") || (name === "remove-item" && command.input?.kind === "command");
      const label =
        name === "remove-item" ? "Remove-Item" : name === "clear-content" ? "Clear-Content" : "Clear-Item";
      destroyPaths(inv, label, (paths.length > 0 ? paths : [undefined]).map(windowsWord), {
        recursive,
        verb: name === "remove-item" ? "deletes" : "empties",
      });
      return true;
    }
    case "invoke-webrequest":
    case "invoke-restmethod": {
      const p = params(command, [
        "uri",
        "method",
        "body",
        "outfile",
        "headers",
        "contenttype",
        "infile",
        "credential",
        "custommethod",
      ]);
      const method = (p.values.get("method") ?? p.values.get("custommethod"))?.text ?? "GET";
      const url = (p.values.get("uri") ?? p.positional[0])?.text;
      const out = p.values.get("outfile");
      if (out) writePaths(inv, command.name.text ?? name, [windowsWord(out.text)]);
      if (method.toUpperCase() === "GET")
        return out ? true : readOnly(inv, command.name.text ?? name, "downloads");
      if (url === undefined)
        emitOpaque(inv, `${command.name.text} (opaque)`, `${method} to a URL only known at run time`);
      else
        delegate(inv, "http", { kind: "http", method: method.toUpperCase(), url }, command.text.slice(0, 80));
      return true;
    }
    case "set-location":
    case "push-location": {
      const target = command.words[0]?.text;
      changeDirectory(inv.state, target === undefined ? null : (posixOf(target) ?? null));
      return true;
    }
    case "invoke-expression": {
      const p = params(command, ["command"]);
      const text = (p.values.get("command") ?? p.positional[0])?.text;
      if (text !== undefined) runPs(text);
      else {
        const input = command.input
          ? command.input.kind === "command"
            ? command.input.command.text
            : command.input.text
          : (command.words[0]?.raw ?? "");
        const downloaded =
          /\b(iwr|irm|curl|wget|invoke-webrequest|invoke-restmethod|downloadstring|downloadfile|net\.webclient|start-bitstransfer)\b/i.test(
            input,
          );
        emitOpaque(
          inv,
          "Invoke-Expression (opaque)",
          downloaded
            ? "Invoke-Expression runs downloaded code unseen"
            : "Invoke-Expression runs code only known at run time",
          { tags: downloaded ? ["remote-code"] : [] },
        );
      }
      return true;
    }
    case "start-process": {
      const p = params(command, [
        "filepath",
        "argumentlist",
        "verb",
        "workingdirectory",
        "redirectstandardoutput",
        "redirectstandardinput",
        "redirectstandarderror",
        "windowstyle",
        "credential",
      ]);
      const program = (p.values.get("filepath") ?? p.positional[0])?.text;
      const args = p.values.get("argumentlist") ?? p.positional[1];
      if (program === undefined || (args && args.text === undefined)) {
        emitOpaque(inv, "Start-Process (opaque)", "Start-Process runs a program only known at run time");
        return true;
      }
      const rest = args?.text ? args.text.split(/[\s,]+/).filter(Boolean) : [];
      inv.dispatch([literalWord(program), ...rest.map(literalWord)], { kind: "none" });
      return true;
    }
    case "format-volume":
    case "clear-disk":
    case "initialize-disk":
    case "remove-partition":
      emit(inv, {
        name: command.name.text ?? name,
        effect: "delete",
        summary: `${command.text.slice(0, 80)}: erases a disk or volume`,
        reversibility: "irreversible",
        blastRadius: "host",
        tags: ["wipe", "data-loss"],
      });
      return true;
    case "stop-computer":
    case "restart-computer":
      emit(inv, {
        name: name === "stop-computer" ? "Stop-Computer" : "Restart-Computer",
        effect: "write",
        summary: `${command.text.slice(0, 80)}: stops or restarts the machine`,
        reversibility: "irreversible",
        blastRadius: "host",
        tags: ["outage"],
      });
      return true;
    case "set-mppreference":
    case "add-mppreference": {
      const disables = command.words.some((w) => /^-(disable|exclusion)/i.test(w.text ?? ""));
      if (!disables) return false;
      emit(inv, {
        name: "Set-MpPreference -Disable",
        effect: "privilege",
        summary: `${command.text.slice(0, 80)}: turns Microsoft Defender protection off`,
        reversibility: "recoverable",
        blastRadius: "host",
        tags: ["security-disable"],
      });
      return true;
    }
  }
  if (name.startsWith("remove-az") || name.startsWith("remove-azurerm")) return azureDelete(inv, command);
  const aws = /^remove-(s3|ec2|rds|cfn|ddb|iam|lm|eb|kms|ecs|eks|r53)(\w+)$/.exec(name);
  if (aws) return awsToolsDelete(inv, command, AWS_TOOLS[aws[1] ?? ""] ?? "", command.name.text ?? name);
  if (!/^[a-z]+-[a-z]/.test(name)) return false;
  const p = params(command, ["path", "literalpath", "filepath", "destination", "value", "name"]);
  // Format-Table, Format-List…: output formatting, not Format-Volume.
  if (FORMATTERS.test(name)) return readOnly(inv, command.name.text ?? name, "formats output");
  if (DESTROY_VERBS.test(name)) {
    emit(inv, {
      name: command.name.text ?? name,
      effect: "delete",
      summary: `${command.text.slice(0, 80)}: a PowerShell command that removes or stops something airlock has no rules for`,
      reversibility: "irreversible",
      blastRadius: "service",
      targets: p.positional.flatMap((w) => (w.text ? [{ type: "name", name: w.text }] : [])),
      envHints: p.positional.flatMap((w) => (w.text ? [w.text] : [])),
    });
    return true;
  }
  if (/^(set-content|add-content|out-file|new-item|copy-item|move-item|rename-item|export-\w+)$/.test(name)) {
    const target =
      p.values.get("path") ??
      p.values.get("literalpath") ??
      p.values.get("filepath") ??
      p.values.get("destination") ??
      p.positional[name === "copy-item" || name === "move-item" ? 1 : 0] ??
      p.positional[0];
    writePaths(inv, command.name.text ?? name, [windowsWord(target?.text)]);
    return true;
  }
  if (READ_VERBS.test(name) && !WRITE_VERBS.test(name))
    return readOnly(inv, command.name.text ?? name, "only reads");
  return false;
}

function readOnly(inv: Invocation, name: string, what: string): boolean {
  emit(inv, { name, effect: "read", summary: `${name} ${what}`, envHints: ["local"] });
  return true;
}

function azureDelete(inv: Invocation, command: PsCommand): boolean {
  const p = params(command, [
    "name",
    "resourcegroupname",
    "resourceid",
    "vmname",
    "servername",
    "databasename",
    "defaultprofile",
  ]);
  const names = ["name", "resourcegroupname", "vmname", "servername", "databasename", "resourceid"].flatMap(
    (k) => p.values.get(k)?.text ?? [],
  );
  names.push(...p.positional.flatMap((w) => w.text ?? []));
  const group = /^remove-az(urerm)?resourcegroup$/.test((command.name.text ?? "").toLowerCase());
  emit(inv, {
    name: command.name.text ?? "Remove-Az",
    effect: "delete",
    summary: `${command.text.slice(0, 80)}: ${group ? "deletes the resource group and every resource in it" : "deletes an Azure resource"} (irreversible)`,
    reversibility: "irreversible",
    blastRadius: group ? "environment" : "service",
    targets: names.map((n) => ({ type: group ? "resource-group" : "azure-resource", name: n })),
    tags: group ? ["stateful", "data-loss"] : ["data-loss"],
    envHints: names,
  });
  return true;
}

/** AWS Tools for PowerShell: `Remove-S3Bucket -BucketName x` is s3:DeleteBucket. */
function awsToolsDelete(inv: Invocation, command: PsCommand, service: string, cmdletName: string): boolean {
  const noun = cmdletName.replace(/^remove-(s3|ec2|rds|cfn|ddb|iam|lm|eb|kms|ecs|eks|r53)/i, "");
  const p = params(command, [
    "bucketname",
    "instanceid",
    "dbinstanceidentifier",
    "stackname",
    "tablename",
    "key",
    "region",
    "profilename",
    "functionname",
    "environmentname",
    "rolename",
    "username",
    "keyid",
    "cluster",
    "name",
  ]);
  const fields: Record<string, unknown> = {};
  for (const [k, v] of p.values) if (v.text !== undefined) fields[k] = v.text;
  const params_: Record<string, unknown> = {
    ...(fields.bucketname ? { Bucket: fields.bucketname } : {}),
    ...(fields.instanceid ? { InstanceIds: [fields.instanceid] } : {}),
    ...(fields.dbinstanceidentifier ? { DBInstanceIdentifier: fields.dbinstanceidentifier } : {}),
    ...(fields.stackname ? { StackName: fields.stackname } : {}),
    ...(fields.tablename ? { TableName: fields.tablename } : {}),
    ...(fields.functionname ? { FunctionName: fields.functionname } : {}),
    ...(fields.environmentname ? { EnvironmentName: fields.environmentname } : {}),
  };
  const operation = service === "ec2" && /^instance$/i.test(noun) ? "TerminateInstances" : `Delete${noun}`;
  delegate(
    inv,
    "aws",
    { kind: "aws", service, operation, params: params_ },
    command.text.slice(0, 80),
    [String(fields.profilename ?? "")].filter(Boolean),
  );
  return true;
}
