import { z } from 'zod'
import type { AgentContextSummary, AgentInput, JournalDecision, UpstreamOutput } from './agent-types.ts'
import type { RoleDefinition } from './role-definition.ts'
import type { AgentRole } from './role-ids.ts'
import { ROLE_DEFINITIONS } from './roles/index.ts'
import { stripSimDirectives } from './sim-directives.ts'

/**
 * Character budget of the user prompt (~4 characters per token). With every part full the
 * user prompt stays under ~14,000 characters (~3,500 tokens); the system prompt adds ~3,000.
 */
export const PROMPT_BUDGET = {
  /** Feature name. */
  name: 300,
  /** Feature description. */
  description: 4000,
  /** The journal: the most recent decisions that fit, newest kept. */
  decisions: 2500,
  decisionItems: 25,
  /** All upstream outputs together, shared evenly between them. */
  upstream: 7000,
  /** Any one line inside a condensed upstream output. */
  line: 300,
} as const

/** The prompts of one agent call and what went into them. */
export interface BuiltPrompt {
  system: string
  user: string
  /**
   * The start of `system` that every agent of the session shares, in characters: the shared
   * instructions, the feature and the journal, before the role's own instructions. Providers
   * mark it cacheable (Anthropic `cache_control`; OpenAI caches prefixes by itself).
   */
  sharedChars: number
  context: AgentContextSummary
}

function clip(text: string, max: number): { text: string; cut: boolean } {
  const flat = text.trim()
  return flat.length <= max ? { text: flat, cut: false } : { text: `${flat.slice(0, Math.max(0, max - 1))}…`, cut: true }
}

function oneLine(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value.replace(/\s+/g, ' ')
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return value.map(oneLine).join('; ')
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).map(oneLine).join(' ')
  return ''
}

const BASE_KEYS = new Set(['analysis', 'approach', 'decisions', 'concerns', 'confidence'])

/** One upstream output as a compact text block of at most `max` characters. */
export function condenseOutput(upstream: UpstreamOutput, max: number): { text: string; cut: boolean } {
  const role = ROLE_DEFINITIONS[upstream.role]
  const out = upstream.output
  const lines = [`### ${role.displayName} (confidence ${out.confidence})`, `Approach: ${clip(oneLine(out.approach), PROMPT_BUDGET.line).text}`]
  if (out.decisions.length > 0) {
    lines.push('Decisions:')
    for (const d of out.decisions) lines.push(`- [${d.category}] ${clip(`${oneLine(d.text)} (because ${oneLine(d.rationale)})`, PROMPT_BUDGET.line).text}`)
  }
  if (out.concerns.length > 0) lines.push(`Concerns: ${clip(oneLine(out.concerns), PROMPT_BUDGET.line).text}`)
  for (const [key, value] of Object.entries(out)) {
    if (!BASE_KEYS.has(key)) lines.push(`${key}: ${clip(oneLine(value), PROMPT_BUDGET.line).text}`)
  }
  return clip(lines.join('\n'), max)
}

function journalBlock(decisions: JournalDecision[]): { text: string; included: number; omitted: number } {
  const kept: string[] = []
  let used = 0
  // Newest decisions matter most, so fill the budget from the end of the journal.
  for (let i = decisions.length - 1; i >= 0 && kept.length < PROMPT_BUDGET.decisionItems; i--) {
    const d = decisions[i] as JournalDecision
    const who = d.source ? ` — ${d.source}` : ''
    const conf = d.confidence === undefined || d.confidence === null ? '' : ` (confidence ${d.confidence})`
    const line = `- [${oneLine(d.category)}] ${clip(oneLine(d.text), PROMPT_BUDGET.line).text}${conf}${who}`
    if (used + line.length + 1 > PROMPT_BUDGET.decisions) break
    kept.unshift(line)
    used += line.length + 1
  }
  return { text: kept.join('\n'), included: kept.length, omitted: decisions.length - kept.length }
}

type JsonSchemaNode = {
  type?: string | string[]
  properties?: Record<string, JsonSchemaNode>
  items?: JsonSchemaNode
  enum?: unknown[]
  minimum?: number
  maximum?: number
}

function shapeOf(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' | ')
  if (node.type === 'object' && node.properties) {
    return `{ ${Object.entries(node.properties).map(([k, v]) => `${k}: ${shapeOf(v)}`).join(', ')} }`
  }
  if (node.type === 'array' && node.items) return `[${shapeOf(node.items)}]`
  if ((node.type === 'number' || node.type === 'integer') && node.minimum !== undefined && node.maximum !== undefined) {
    return `${node.type} ${node.minimum}..${node.maximum}`
  }
  return Array.isArray(node.type) ? node.type.join(' | ') : (node.type ?? 'any')
}

const shapeCache = new WeakMap<object, string>()

/** A compact TypeScript-like rendering of a role's output schema, for models without native structured output. */
export function describeOutputShape(role: RoleDefinition): string {
  const cached = shapeCache.get(role.schema)
  if (cached) return cached
  const shape = shapeOf(z.toJSONSchema(role.schema, { io: 'input' }) as JsonSchemaNode)
  shapeCache.set(role.schema, shape)
  return shape
}

/** The instructions every role gets, word for word: the head of every system prompt (a cacheable prefix). */
function sharedInstructions(): string {
  const team = Object.values(ROLE_DEFINITIONS)
    .map((r) => r.displayName)
    .join(', ')
  return [
    `You are one member of a software team working on one feature together. The team: ${team}.`,
    'Each member contributes from their own expertise and builds on what the members before them decided.',
    '',
    'Reply with exactly one JSON object and nothing else: no prose, no Markdown fences.',
    'decisions: 1-6 concrete decisions, each with a rationale and a short category',
    '(architecture, api, data, ui, ux, security, infrastructure, performance, testing, process).',
    'concerns: risks or open questions (may be empty). confidence: 0 to 1.',
    'Stay consistent with the journal and the upstream decisions; if you disagree with one, say so in concerns.',
  ].join('\n')
}

/** What only this role is told: its part, capabilities and output shape (after the shared head). */
function roleInstructions(role: RoleDefinition): string {
  return [
    role.prompt,
    `Your capabilities: ${role.capabilities.join(', ')}.`,
    '',
    'Use snake_case keys exactly as in this shape:',
    describeOutputShape(role),
  ].join('\n')
}

const constantsCache = new Map<AgentRole, { head: string; tail: string }>()

/**
 * The parts of a role's system prompt that are the same in every session, word for word:
 * `head` (the shared instructions, before the session's feature and journal) and `tail`
 * (the role's instructions, after them). Snapshots store them once, by hash (prompt-parts.ts).
 */
export function promptConstants(role: AgentRole): { head: string; tail: string } {
  let found = constantsCache.get(role)
  if (!found) {
    found = { head: sharedInstructions(), tail: roleInstructions(ROLE_DEFINITIONS[role] as RoleDefinition) }
    constantsCache.set(role, found)
  }
  return found
}

/**
 * The system and user prompts for one agent call: the role and team context, the feature,
 * the journal's most recent decisions and the condensed outputs of the agents it depends on,
 * all within `PROMPT_BUDGET`. `[sim:…]` directives are removed. What the session's agents
 * share comes first (instructions, feature, journal: `system` up to `sharedChars`), then the
 * role's instructions; the user turn holds the upstream outputs and the task. Never throws.
 */
export function buildPrompt(input: AgentInput): BuiltPrompt {
  const role = ROLE_DEFINITIONS[input.role] as RoleDefinition
  const name = clip(stripSimDirectives(input.featureName), PROMPT_BUDGET.name)
  const description = clip(stripSimDirectives(input.description), PROMPT_BUDGET.description)
  const journal = journalBlock(input.decisions)
  const share = input.upstream.length > 0 ? Math.floor(PROMPT_BUDGET.upstream / input.upstream.length) : 0
  const upstream = input.upstream.map((u) => condenseOutput(u, share))

  // The feature and the journal are the same for every agent of a stage: they go in the shared head.
  const session = [`# Feature: ${name.text}`, '', description.text.length > 0 ? description.text : '(no description given)']
  if (journal.included > 0) {
    session.push('', '# Decisions already in the session journal (newest last)')
    if (journal.omitted > 0) session.push(`(${journal.omitted} earlier decisions omitted)`)
    session.push(journal.text)
  }
  const parts: string[] = []
  if (upstream.length > 0) {
    parts.push('', '# What your teammates produced (condensed)')
    for (const u of upstream) parts.push('', u.text)
  }
  const feedback = input.feedback ? clip(input.feedback, PROMPT_BUDGET.description) : null
  if (feedback && feedback.text.length > 0) {
    parts.push('', '# Feedback on your earlier contribution (act on it)', feedback.text)
  }
  parts.push('', `# Your task`, `As the ${role.displayName}, produce your contribution to "${name.text}" as the JSON object described.`)
  const user = parts.join('\n').trimStart()
  const constants = promptConstants(input.role)
  const shared = `${constants.head}\n\n${session.join('\n')}\n\n`
  const system = `${shared}${constants.tail}`
  return {
    system,
    user,
    sharedChars: shared.length,
    context: {
      upstreamRoles: input.upstream.map((u) => u.role),
      decisionsIncluded: journal.included,
      decisionsOmitted: journal.omitted,
      promptChars: system.length + user.length,
      truncated: name.cut || description.cut || journal.omitted > 0 || upstream.some((u) => u.cut) || (feedback?.cut ?? false),
    },
  }
}

/** The follow-up message asking the model to fix output that failed validation. */
export function buildRepairMessage(issues: string[]): string {
  return [
    'Your reply did not match the required JSON shape. Problems:',
    ...issues.slice(0, 20).map((i) => `- ${i}`),
    'Reply again with the complete corrected JSON object only.',
  ].join('\n')
}
