import { z } from 'zod'
import { AGENT_ROLES } from '../../agents/index.ts'
import { AnyJson, Count, Fraction, Id, Timestamp, Usd } from './common.ts'
import { ReviewPolicy } from './teams.ts'

export const AgentRole = z.enum(AGENT_ROLES).describe('One of the seven agent roles.')
export const SessionPlan = z.enum(['dag', 'parallel', 'sequential'])
export const SessionStatus = z.enum(['active', 'completed', 'failed', 'cancelled'])
export const TaskStatus = z.enum(['pending', 'running', 'awaiting_review', 'awaiting_budget', 'completed', 'failed', 'skipped', 'cancelled'])

/** API.md `session`. */
export const Session = z
  .object({
    id: Id,
    team_id: Id,
    user_id: Id,
    feature_name: z.string(),
    description: z.string(),
    plan: SessionPlan,
    status: SessionStatus,
    started_at: Timestamp.nullable(),
    ended_at: Timestamp.nullable(),
    duration_seconds: z.number().nullable(),
    created_at: Timestamp,
    parent_id: Id.nullable().describe('The session this one was forked from.'),
    forked_from_role: z.string().nullable(),
    review: ReviewPolicy.describe('Which finished tasks wait for a human’s review.'),
    budget_usd: Usd.nullable(),
    input_tokens: Count.describe('The sum over its tasks.'),
    output_tokens: Count.describe('The sum over its tasks.'),
    cost_usd: Usd.describe('The sum over its tasks whose price is known.'),
    consistency_score: z.number().min(0).max(100).nullable().describe('0–100; null until its outputs were checked.'),
    awaiting: z.enum(['review', 'budget']).nullable().describe('What the session waits on: a human’s verdict, or a larger budget.'),
  })
  .describe('A run of the agent team on one feature.')

/** API.md `task`: one agent's work in a session. */
export const Task = z
  .object({
    id: Id,
    session_id: Id,
    agent_role: z.string(),
    task_description: z.string().nullable(),
    input_data: AnyJson.describe('What the agent was given.'),
    output_data: AnyJson.describe('The agent’s structured output; null until it has one.'),
    status: TaskStatus,
    started_at: Timestamp.nullable(),
    completed_at: Timestamp.nullable(),
    duration_seconds: z.number().nullable(),
    error_message: z.string().nullable(),
    retry_count: Count,
    model: z.string().nullable(),
    input_tokens: Count,
    output_tokens: Count,
    cost_usd: Usd.nullable().describe('Null when the model’s price is unknown.'),
    confidence: Fraction.nullable().describe('The output’s own confidence; null until the task has a valid output.'),
    reused_from_task_id: Id.nullable().describe('The task a fork copied this one from.'),
    created_at: Timestamp,
  })
  .describe('One agent’s task in a session.')

/** A decision an agent recorded in its output. */
export const TaskDecision = z
  .object({ id: Id, agent_task_id: Id, decision_text: z.string(), rationale: z.string().nullable(), category: z.string().nullable(), created_at: Timestamp })
  .describe('A decision an agent recorded.')

export const TaskWithDecisions = Task.extend({ decisions: z.array(TaskDecision) }).describe('A task with the decisions its agent recorded.')

export const TaskList = z.array(TaskWithDecisions).describe('The session’s tasks, each with its agent’s decisions.')

/** API.md `decision`: one entry of a session's journal. */
export const Decision = z
  .object({
    id: Id.describe('Unique together with `source`.'),
    session_id: Id,
    decision_text: z.string(),
    rationale: z.string().nullable(),
    category: z.string().nullable(),
    confidence: z.string().nullable().describe('`high`, `medium` or `low`.'),
    source: z.enum(['user', 'agent', 'review']),
    agent_role: z.string().nullable(),
    task_id: Id.nullable(),
    author: z.string().nullable().describe('The member’s or reviewer’s username; null for agents.'),
    created_at: Timestamp,
  })
  .describe('An entry of a session’s decision journal.')

export const DecisionList = z.array(Decision).describe('The session’s journal.')
export const DecisionEnvelope = z.object({ decision: Decision }).describe('The decision as the journal shows it.')
export const DecisionPage = z
  .object({ decisions: z.array(Decision), next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last.') })
  .describe('One page of decisions.')

/** API.md `snapshot`: what an agent saw and produced in one attempt. */
export const Snapshot = z
  .object({
    id: Id,
    agent_task_id: Id,
    agent_role: z.string(),
    context_state: AnyJson,
    capabilities: AnyJson,
    decisions: AnyJson,
    execution_metadata: AnyJson,
    created_at: Timestamp,
  })
  .describe('An agent’s state at the end of one attempt.')

export const SnapshotEnvelope = z.object({ snapshot: Snapshot }).describe('The latest snapshot.')
export const SnapshotList = z.array(Snapshot).describe('Every attempt’s snapshot, oldest first.')

export const SessionEnvelope = z.object({ session: Session }).describe('The session.')
export const SessionPage = z
  .object({ sessions: z.array(Session), next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last.') })
  .describe('One page of sessions, newest first.')

/** `GET /api/sessions/:id`. */
export const SessionDetail = z.object({ session: Session, tasks: z.array(Task), decisions: z.array(Decision) }).describe('The session, its tasks and its journal.')
