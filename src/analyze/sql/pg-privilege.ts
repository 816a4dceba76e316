import type { DefElem, GrantStmt, Node } from "libpg-query";
import type { Operation } from "../types.js";
import { dropOp } from "./objects.js";
import { listNames, readOp, sqlOp } from "./operation.js";
import { constString, defElems, defIsOn, objectName, objectWords, roleName, roleNames } from "./pg-ast.js";
import type { Handlers } from "./pg-context.js";
import { ESCALATING_ROLE_OPTIONS, isPowerfulRole, privilegeOp, roleTargets } from "./privilege.js";

/** Statements that change who may do what. */
export const PRIVILEGE_HANDLERS: Handlers = {
  GrantStmt: (s) => [grantOperation(s)],
  GrantRoleStmt: (s) => {
    const granted = (s.granted_roles ?? []).map((n) =>
      "AccessPriv" in n ? (n.AccessPriv.priv_name ?? "?") : objectName(n),
    );
    const grantees = roleNames(s.grantee_roles);
    const admin = defElems(s.opt).some((d) => d.defname === "admin" && defIsOn(d));
    const powerful = granted.some(isPowerfulRole);
    const verb = s.is_grant ? "GRANT" : "REVOKE";
    return [
      privilegeOp({
        name: verb,
        summary: `${verb} role ${listNames(granted)} ${s.is_grant ? "TO" : "FROM"} ${listNames(grantees)}${admin ? " WITH ADMIN OPTION" : ""}`,
        targets: [...roleTargets(granted), ...roleTargets(grantees)],
        escalation: s.is_grant === true && (powerful || admin),
        blastRadius: powerful ? "environment" : "service",
      }),
    ];
  },
  CreateRoleStmt: (s) => {
    const word =
      s.stmt_type === "ROLESTMT_USER" ? "USER" : s.stmt_type === "ROLESTMT_GROUP" ? "GROUP" : "ROLE";
    const role = s.role ?? "?";
    return [
      roleOperation(`CREATE ${word}`, role, s.options, `CREATE ${word} ${role}: adds a database identity`),
    ];
  },
  AlterRoleStmt: (s) => {
    const role = roleName(s.role);
    return [roleOperation("ALTER ROLE", role, s.options, `ALTER ROLE ${role}: changes its attributes`)];
  },
  AlterRoleSetStmt: (s) => [
    privilegeOp({
      name: "ALTER ROLE",
      summary: `ALTER ROLE ${roleName(s.role)} SET ${s.setstmt?.name ?? ""}: changes its session defaults`,
      targets: roleTargets([roleName(s.role)]),
    }),
  ],
  DropRoleStmt: (s) => [dropOp("ROLE", roleNames(s.roles))],
  AlterDefaultPrivilegesStmt: (s) => {
    const inner = s.action ? grantOperation(s.action) : undefined;
    return [
      privilegeOp({
        name: "ALTER DEFAULT PRIVILEGES",
        summary: `ALTER DEFAULT PRIVILEGES: ${inner?.summary ?? "changes privileges of future objects"}`,
        targets: inner?.targets ?? [],
        escalation: inner?.tags?.includes("privilege-escalation") === true,
      }),
    ];
  },
  ReassignOwnedStmt: (s) => [
    privilegeOp({
      name: "REASSIGN OWNED",
      summary: `REASSIGN OWNED BY ${listNames(roleNames(s.roles))} TO ${roleName(s.newrole)}`,
      targets: roleTargets([...roleNames(s.roles), roleName(s.newrole)]),
    }),
  ],
  AlterOwnerStmt: (s) => [
    privilegeOp({
      name: `ALTER ${objectWords(s.objectType)}`,
      summary: `ALTER ${objectWords(s.objectType)} OWNER TO ${roleName(s.newowner)}: hands over all rights on it`,
      targets: roleTargets([roleName(s.newowner)]),
    }),
  ],
  CreatePolicyStmt: (s) => [policyOperation("CREATE POLICY", s.policy_name)],
  AlterPolicyStmt: (s) => [policyOperation("ALTER POLICY", s.policy_name)],
  CreateUserMappingStmt: (s) => [
    privilegeOp({
      name: "CREATE USER MAPPING",
      summary: `CREATE USER MAPPING for ${roleName(s.user)} on server ${s.servername ?? "?"}: stores remote credentials`,
      targets: roleTargets([roleName(s.user)]),
    }),
  ],
  VariableSetStmt: (s) => {
    const name = s.name ?? "";
    if (name === "role" || name === "session_authorization") {
      const word = name === "role" ? "SET ROLE" : "SET SESSION AUTHORIZATION";
      const role = constString(s.args?.[0]) ?? (s.kind === "VAR_SET_DEFAULT" ? "DEFAULT" : "?");
      return [
        sqlOp({
          name: word,
          effect: "privilege",
          reversibility: "reversible",
          blastRadius: "resource",
          targets: roleTargets([role]),
          summary: `${word} ${role}: the session acts with ${role}'s privileges from here on`,
        }),
      ];
    }
    const what = s.kind === "VAR_RESET" || s.kind === "VAR_RESET_ALL" ? "RESET" : "SET";
    return [readOp(what, `${what} ${name || "ALL"}: changes a session setting only`)];
  },
};

function grantOperation(s: GrantStmt): Operation {
  const verb = s.is_grant ? "GRANT" : "REVOKE";
  const privileges = (s.privileges ?? []).map((n) =>
    "AccessPriv" in n ? (n.AccessPriv.priv_name ?? "?") : "?",
  );
  const all = privileges.length === 0;
  const words = objectWords(s.objtype);
  const objects = (s.objects ?? []).map(objectName);
  const grantees = roleNames(s.grantees);
  const inSchema = s.targtype === "ACL_TARGET_ALL_IN_SCHEMA";
  const wide = inSchema || words === "DATABASE" || words === "SCHEMA";
  const scope = inSchema ? `ALL ${words}S IN SCHEMA` : words;
  const privs = all ? "ALL" : privileges.join(", ").toUpperCase();
  const untrustedLanguage = words === "LANGUAGE" && objects.some((o) => o.endsWith("u"));
  return privilegeOp({
    name: verb,
    summary: `${verb} ${privs} ON ${scope} ${listNames(objects)} ${s.is_grant ? "TO" : "FROM"} ${listNames(grantees)}${s.grant_option ? " WITH GRANT OPTION" : ""}`,
    targets: [
      ...objects.map((name) => ({ type: inSchema ? "schema" : words.toLowerCase(), name })),
      ...roleTargets(grantees),
    ],
    escalation: s.is_grant === true && (all || s.grant_option === true || untrustedLanguage),
    blastRadius: wide ? "environment" : "service",
    envHints: words === "DATABASE" ? objects : [],
  });
}

function roleOperation(name: string, role: string, options: Node[] | undefined, summary: string): Operation {
  const defs = defElems(options);
  const raised = defs
    .filter((d) => ESCALATING_ROLE_OPTIONS.has(d.defname ?? "") && defIsOn(d))
    .map(optionWord);
  const joined = defs.filter((d) => d.defname === "addroleto").flatMap((d) => memberNames(d));
  const powerful = joined.filter(isPowerfulRole);
  const extra = [...raised, ...powerful.map((r) => `IN ROLE ${r}`)];
  return privilegeOp({
    name,
    summary: extra.length > 0 ? `${summary}: ${extra.join(", ")}` : summary,
    targets: roleTargets([role, ...joined]),
    escalation: extra.length > 0,
    blastRadius: extra.length > 0 ? "environment" : "service",
  });
}

function optionWord(d: DefElem): string {
  return (d.defname ?? "").toUpperCase();
}

function memberNames(d: DefElem): string[] {
  const arg = d.arg;
  return arg && "List" in arg ? roleNames(arg.List.items) : [];
}

function policyOperation(name: string, policy: string | undefined): Operation {
  return privilegeOp({
    name,
    summary: `${name} ${policy ?? ""}: changes which rows each role can see or change`,
    targets: [{ type: "policy", name: policy ?? "?" }],
  });
}
