/** Test data shaped like API.md's JSON, with one string put into every user- or model-supplied field. */
import { AGENT_ROLES } from '../../src/agents/index.ts'
import { planView } from '../../src/http/index.ts'
import type {
  PlanView,
  DecisionView,
  MemberView,
  PageContext,
  SessionEventView,
  SessionView,
  SnapshotView,
  TaskStatus,
  TaskView,
  TeamView,
  UserView,
} from '../../src/views/index.ts'

export const T0 = '2025-01-15T12:00:00.000Z'
export const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString()

/** Everything a page needs, with `s` in every free-text field. */
export interface Dataset {
  user: UserView
  ctx: PageContext
  team: TeamView
  members: MemberView[]
  session: SessionView
  /** The dag plan over the dataset's roles, as the routes compute it. */
  plan: PlanView
  tasks: TaskView[]
  decisions: DecisionView[]
  events: SessionEventView[]
  snapshot: SnapshotView
  now: string
}

/** A model's output for a role with `s` in every field, keys included. */
export function modelOutput(s: string): Record<string, unknown> {
  return {
    analysis: `## Analysis ${s}\n\n[click me](javascript:alert(1)) <img src=x onerror=alert(1)> <a href="javascript:alert(1)">x</a> ${s}`,
    approach: `${s} [ok](https://example.com)`,
    decisions: [{ text: s, rationale: s, category: s }, s],
    concerns: [s, s],
    confidence: 0.8,
    [s]: s,
    endpoints: [{ path: s, method: s, description: s }],
    nested: { deep: { deeper: [s, { [s]: s }] } },
  }
}

function task(id: number, role: string, status: TaskStatus, s: string, start: number | null, end: number | null): TaskView {
  return {
    id,
    session_id: 1,
    agent_role: role,
    task_description: s,
    input_data: { feature: s, upstream: [s] },
    output_data: status === 'completed' ? modelOutput(s) : null,
    status,
    started_at: start === null ? null : at(start),
    completed_at: end === null ? null : at(end),
    duration_seconds: start !== null && end !== null ? end - start : null,
    error_message: status === 'failed' ? s : null,
    retry_count: status === 'failed' ? 2 : 0,
    model: s,
    input_tokens: 1234,
    output_tokens: 567,
    cost_usd: 0.0123,
    created_at: T0,
    decisions:
      status === 'completed'
        ? [{ id: id * 10, agent_task_id: id, decision_text: s, rationale: s, category: s, created_at: at(5) }]
        : [],
  }
}

/** A session mid-run: tasks in every status (and one with an unknown role), all text set to `s`. */
export function dataset(s: string): Dataset {
  const user: UserView = { id: 7, username: s, email: s, created_at: T0 }
  const statuses: [TaskStatus, number | null, number | null][] = [
    ['completed', 0, 20],
    ['completed', 20, 45],
    ['failed', 20, 50],
    ['running', 45, null],
    ['pending', null, null],
    ['skipped', null, null],
    ['cancelled', 50, 55],
  ]
  const tasks = AGENT_ROLES.map((role, i) => {
    const [status, start, end] = statuses[i] as [TaskStatus, number | null, number | null]
    return task(i + 1, role, status, s, start, end)
  })
  tasks.push(task(99, s, 'completed', s, 5, 15))
  return {
    user,
    ctx: { user, csrf_token: s, flash: { kind: 'error', message: s }, path: '/teams/1' },
    team: { id: 1, name: s, description: s, owner_id: 7, is_shared: true, created_at: T0, updated_at: T0, role: 'owner' },
    members: [
      { user_id: 7, username: s, role: 'owner', joined_at: T0 },
      { user_id: 8, username: s, role: 'member', joined_at: T0 },
      { user_id: 9, username: s, role: 'viewer', joined_at: T0 },
    ],
    session: {
      id: 1,
      team_id: 1,
      user_id: 7,
      feature_name: s,
      description: s,
      plan: 'dag',
      status: 'active',
      started_at: T0,
      ended_at: null,
      duration_seconds: null,
      created_at: T0,
    },
    plan: planView('dag', tasks.map((t) => t.agent_role)),
    tasks,
    decisions: [
      { id: 1, session_id: 1, decision_text: s, category: s, confidence: s, created_at: at(30) },
      { id: 2, session_id: 1, decision_text: s, category: 'security', confidence: 'high', created_at: at(40) },
    ],
    events: [
      { id: '1-0', session_id: 1, type: 'session_started', at: T0, data: { feature_name: s, plan: 'dag', tasks: [{ task_id: 1, agent_role: s }] } },
      { id: '2-0', session_id: 1, type: 'task_started', at: at(1), data: { task_id: 1, agent_role: s, attempt: 1 } },
      { id: '3-0', session_id: 1, type: 'task_failed', at: at(50), data: { task_id: 3, agent_role: s, attempt: 1, error: s } },
      { id: '4-0', session_id: 1, type: 'decision_added', at: at(51), data: { decision_id: 1, decision_text: s, category: s, confidence: s, source: 'user' } },
      {
        id: '5-0',
        session_id: 1,
        type: 'task_retrying',
        at: at(52),
        data: { task_id: 3, agent_role: s, failed_attempt: 1, next_attempt: 2, retry_at: at(53), error: s },
      },
    ],
    snapshot: {
      id: 1,
      agent_task_id: 1,
      agent_role: s,
      context_state: { [s]: s, list: [s] },
      capabilities: [s, 'design'],
      decisions: [{ text: s }],
      execution_metadata: { model: s, tokens: 3 },
      created_at: T0,
    },
    now: at(60),
  }
}

/** The dag plan over all seven roles, as the routes compute it. */
export const DAG_PLAN: PlanView = planView('dag', [...AGENT_ROLES])
