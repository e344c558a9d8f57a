/** Realistic, friendly data for browser tests and screenshots. */
import { AGENT_ROLES } from '../../src/agents/index.ts'
import type { DecisionView, MemberView, PageContext, SessionEventView, SessionView, TaskStatus, TaskView, TeamView, UserView } from '../../src/views/index.ts'
import { T0, at } from './fixtures.ts'

export const demoUser: UserView = { id: 1, username: 'ada', email: 'ada@example.com', created_at: T0 }

export function demoCtx(path: string, csrf = 'csrf-token-1'): PageContext {
  return { user: demoUser, csrf_token: csrf, path, flash: null }
}

export const demoTeam: TeamView = {
  id: 1,
  name: 'Platform team',
  description: 'Auth, billing and the public API.',
  owner_id: 1,
  is_shared: true,
  created_at: T0,
  updated_at: T0,
  role: 'owner',
}

export const demoMembers: MemberView[] = [
  { user_id: 1, username: 'ada', role: 'owner', joined_at: T0 },
  { user_id: 2, username: 'grace', role: 'member', joined_at: at(3600) },
  { user_id: 3, username: 'linus', role: 'viewer', joined_at: at(7200) },
]

export const demoSession: SessionView = {
  id: 1,
  team_id: 1,
  user_id: 1,
  feature_name: 'Password reset by email',
  description: 'Users who forget their password get a one-time link by email that expires after 30 minutes.',
  plan: 'dag',
  status: 'active',
  started_at: T0,
  ended_at: null,
  duration_seconds: null,
  created_at: T0,
}

const OUTPUTS: Record<string, Record<string, unknown>> = {
  software_architect: {
    analysis: 'The reset flow touches **auth**, **email delivery** and **rate limiting**. Tokens must be single-use and short-lived.',
    approach: 'A token service issues hashed, expiring tokens; a mail worker sends the link.',
    decisions: [{ text: 'Store only a SHA-256 hash of each reset token', rationale: 'A database leak must not allow resets.', category: 'security' }],
    concerns: ['Email delivery can be slow; the UI must say so.'],
    confidence: 0.86,
    architecture_patterns: ['token service', 'outbox'],
  },
  backend_developer: {
    analysis: 'Two endpoints: request a reset, and confirm it with the token and a new password.',
    decisions: [{ text: 'POST /api/auth/reset and POST /api/auth/reset/confirm', rationale: 'Mirrors the login routes.', category: 'backend' }],
    concerns: ['Responses must not reveal whether an email exists.'],
    confidence: 0.8,
    endpoints: [{ method: 'POST', path: '/api/auth/reset' }, { method: 'POST', path: '/api/auth/reset/confirm' }],
  },
  database_administrator: {
    analysis: 'One table `password_resets` with an index on the token hash.',
    decisions: [{ text: 'Expire rows with a nightly job', rationale: 'Keeps the table small.', category: 'database' }],
    concerns: [],
    confidence: 0.9,
    schema_changes: ['create table password_resets'],
  },
}

function demoTask(i: number, role: string, status: TaskStatus, start: number | null, end: number | null): TaskView {
  return {
    id: i + 1,
    session_id: 1,
    agent_role: role,
    task_description: `Analyse "Password reset by email" as ${role}`,
    input_data: { feature: 'Password reset by email' },
    output_data: status === 'completed' ? (OUTPUTS[role] ?? { analysis: 'Reviewed the plan; no blockers.', decisions: [], concerns: [], confidence: 0.7 }) : null,
    status,
    started_at: start === null ? null : at(start),
    completed_at: end === null ? null : at(end),
    duration_seconds: start !== null && end !== null ? end - start : null,
    error_message: status === 'failed' ? 'Model output failed validation twice: missing field "risk_level".' : null,
    retry_count: status === 'failed' ? 2 : 0,
    model: 'simulated-1',
    input_tokens: status === 'pending' ? 0 : 812 + i * 37,
    output_tokens: status === 'completed' ? 402 + i * 11 : 0,
    cost_usd: null,
    created_at: T0,
  }
}

/** Tasks of a session in progress: stage 1–2 done (one failed after retries), stage 3 running, stage 4 waiting. */
export function demoTasksMidway(): TaskView[] {
  const plan: [TaskStatus, number | null, number | null][] = [
    ['completed', 0, 18],
    ['completed', 18, 41],
    ['completed', 18, 35],
    ['running', 41, null],
    ['failed', 41, 58],
    ['pending', null, null],
    ['pending', null, null],
  ]
  return AGENT_ROLES.map((r, i) => {
    const [s, a, b] = plan[i] as [TaskStatus, number | null, number | null]
    return demoTask(i, r, s, a, b)
  })
}

/** Every task pending except the architect, which has just started. */
export function demoTasksStart(): TaskView[] {
  return AGENT_ROLES.map((r, i) => demoTask(i, r, i === 0 ? 'running' : 'pending', i === 0 ? 0 : null, null))
}

/** The task of `role` completed between `start` and `end`. */
export function demoCompleted(i: number, start: number, end: number): TaskView {
  return demoTask(i, AGENT_ROLES[i] as string, 'completed', start, end)
}

/** The task of `role` running since `start`. */
export function demoRunning(i: number, start: number): TaskView {
  return demoTask(i, AGENT_ROLES[i] as string, 'running', start, null)
}

export const demoDecisions: DecisionView[] = [
  { id: 1, session_id: 1, decision_text: 'Reset links expire after 30 minutes', category: 'security', confidence: 'high', created_at: at(20) },
  { id: 2, session_id: 1, decision_text: 'Send the email from the outbox worker, not the request', category: 'architecture', confidence: 'medium', created_at: at(44) },
]

export function demoEvents(): SessionEventView[] {
  return [
    { id: '1', session_id: 1, type: 'session_started', at: T0, data: { feature_name: 'Password reset', plan: 'dag', tasks: [] } },
    { id: '2', session_id: 1, type: 'task_started', at: at(0), data: { task_id: 1, agent_role: 'software_architect', attempt: 1 } },
    { id: '3', session_id: 1, type: 'task_completed', at: at(18), data: { task_id: 1, agent_role: 'software_architect', attempt: 1 } },
    { id: '4', session_id: 1, type: 'task_started', at: at(18), data: { task_id: 2, agent_role: 'backend_developer', attempt: 1 } },
    { id: '5', session_id: 1, type: 'task_started', at: at(18), data: { task_id: 3, agent_role: 'database_administrator', attempt: 1 } },
    { id: '6', session_id: 1, type: 'decision_added', at: at(20), data: { decision_id: 1, decision_text: 'Reset links expire after 30 minutes', category: 'security', confidence: 'high', source: 'user' } },
    { id: '7', session_id: 1, type: 'task_completed', at: at(35), data: { task_id: 3, agent_role: 'database_administrator', attempt: 1 } },
    { id: '8', session_id: 1, type: 'task_completed', at: at(41), data: { task_id: 2, agent_role: 'backend_developer', attempt: 1 } },
    { id: '9', session_id: 1, type: 'task_retrying', at: at(48), data: { task_id: 5, agent_role: 'ui_ux_designer', failed_attempt: 1, next_attempt: 2, retry_at: at(50), error: 'missing field "risk_level"' } },
    { id: '10', session_id: 1, type: 'task_failed', at: at(58), data: { task_id: 5, agent_role: 'ui_ux_designer', attempt: 2, error: 'missing field "risk_level"' } },
  ]
}
