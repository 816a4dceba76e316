/**
 * airlock's SDK (`import … from "airlock/sdk"`): a guard that asks `airlock serve`, or decides in this
 * process under a local policy, and wrappers that put it in front of the tools of the Vercel AI SDK,
 * LangChain.js and the OpenAI Agents SDK. The framework packages are only ever imported as types,
 * and the local gate (analyzers, policy) is loaded only when a local guard first decides.
 */

export type { Approvals, Decision, RequestRef, RequestStatus } from "../action/decision.js";
export type { Action } from "../action/schema.js";
export { guardAiTool } from "./ai.js";
export { AirlockClient, type ClientOptions, type RequestResult, type RequestView } from "./client.js";
export { type FollowOptions, followHold } from "./follow-hold.js";
export {
  createGuard,
  type Guard,
  type GuardOptions,
  type LocalGuardOptions,
  type OnDeny,
  type OnHold,
  type RemoteGuardOptions,
} from "./guard.js";
export { guardLangChainTool, type LangChainToolInput } from "./langchain.js";
export { guardOpenAiTool } from "./openai-agents.js";
export {
  AirlockBlocked,
  AirlockDenied,
  AirlockHeld,
  type AirlockRefusal,
  isAirlockRefusal,
} from "./refusal.js";
export { type ActionSource, shellCommand, sqlStatement, type ToAction, toolCall } from "./tool-actions.js";
