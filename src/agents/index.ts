export { AGENT_ROLES, isAgentRole } from './role-ids.ts'
export type { AgentRole } from './role-ids.ts'
export { CAPABILITIES, defineRole, roleOutputSchema } from './role-definition.ts'
export type { Capability, FeatureTerms, RoleDefinition, SimContext, UpstreamDigest } from './role-definition.ts'
export { BaseOutputSchema, CodeSnippetSchema, DecisionSchema, MitigationSchema } from './output-base.ts'
export type { BaseOutput, CodeSnippet, Decision, Mitigation } from './output-base.ts'
export { ROLE_DEFINITIONS, getRole, listRoles } from './roles/index.ts'
export type { RoleDefinitions, RoleOutput } from './roles/index.ts'
export { PROMPT_BUDGET, buildPrompt, buildRepairMessage, condenseOutput, describeOutputShape, promptConstants } from './prompt.ts'
export { promptTexts, systemPromptParts } from './prompt-parts.ts'
export type { PromptPart, SnapshotText, TextRef } from './prompt-parts.ts'
export type { BuiltPrompt } from './prompt.ts'
export { parseOutput } from './parse-output.ts'
export type { ParsedOutput } from './parse-output.ts'
export { SIM_DIRECTIVE_KINDS, mismatchFor, parseSimDirectives, simDirectiveFor, stripSimDirectives } from './sim-directives.ts'
export type { SimDirective, SimDirectiveKind } from './sim-directives.ts'
export { AbortError, AgentOutputError, ProviderError, agentErrorFromJSON, agentErrorToJSON, repliesOf, withReplies } from './errors.ts'
export type { AgentErrorJSON, ProviderErrorOptions } from './errors.ts'
export { LONGER_REPLY_TOKENS, runAgent } from './run-agent.ts'
export { RAW_REPLY_LIMIT } from './reply-record.ts'
export { createModelLimits, joinModelLimits, limitedFetch, startModelLimitsHost, backoffFrom } from './limits/index.ts'
export type { LimitedFetchOptions, ModelLimits, ModelLimitsHost } from './limits/index.ts'
export { DEFAULT_PRICES, costUsd, createPriceTable, priceFor, priceUsage, unknownPriceReporter } from './pricing.ts'
export type { ModelPrice, PricedUsage, PriceTable } from './pricing.ts'

export type { RunAgentDeps } from './run-agent.ts'
export type { AgentContextSummary, AgentInput, AgentResult, JournalDecision, ReplyOutcome, ReplyRecord, TokenUsage, UpstreamOutput } from './agent-types.ts'
export {
  DEFAULT_MODELS,
  createAnthropicProvider,
  createOpenAIProvider,
  createProvider,
  createSimulatedProvider,
} from './providers/index.ts'
export type {
  AnthropicProviderOptions,
  CreateProviderOptions,
  ModelProvider,
  OpenAIProviderOptions,
  ProviderConfig,
  ProviderMessage,
  ProviderName,
  ProviderRequest,
  ProviderResponse,
  SimulatedProviderOptions,
} from './providers/index.ts'
