import { describe, expect, it } from 'bun:test'
import { AGENT_ROLES } from '../../src/agents/index.ts'
import {
  AgentCard,
  JournalList,
  SessionSummary,
  StartSessionForm,
  formatConfidence,
  formatPreciseDuration,
  planWithOutcomes,
  progressCounts,
  progressSentence,
  type SessionView,
  type TaskStatus,
  type TaskView,
} from '../../src/views/index.ts'
import { ConfidenceBadge } from '../../src/views/components/index.ts'
import { failedAgents, skipCause } from '../../src/views/session/index.ts'
import { DAG_PLAN, T0, at } from './fixtures.ts'

function task(id: number, status: TaskStatus, extra: Partial<TaskView> = {}): TaskView {
  return {
    id,
    session_id: 1,
    agent_role: AGENT_ROLES[id - 1] as string,
    task_description: null,
    input_data: null,
    output_data: status === 'completed' ? { analysis: 'done', confidence: 0.85 } : null,
    status,
    started_at: status === 'pending' || status === 'skipped' ? null : at(1),
    completed_at: null,
    duration_seconds: null,
    error_message: null,
    retry_count: 0,
    model: 'simulated-1',
    input_tokens: 0,
    output_tokens: 0,
    created_at: T0,
    ...extra,
  }
}

const session: SessionView = {
  id: 1,
  team_id: 3,
  user_id: 7,
  feature_name: 'Checkout',
  description: 'Pay by card',
  plan: 'dag',
  status: 'failed',
  started_at: T0,
  ended_at: at(60),
  duration_seconds: 60,
  created_at: T0,
}

/** The dag's seven tasks: architect and database done, backend failed after 3 attempts, the rest skipped. */
function failedRun(): TaskView[] {
  return [
    task(1, 'completed'),
    task(2, 'failed', { retry_count: 2, error_message: 'Provider answered 503 <overloaded>' }),
    task(3, 'completed'),
    task(4, 'skipped'),
    task(5, 'skipped'),
    task(6, 'skipped'),
    task(7, 'skipped'),
  ]
}

describe('progress by status', () => {
  it('counts only completed tasks as done: a cancelled run where nobody finished says 0 of 7', () => {
    const p = progressCounts(AGENT_ROLES.map((_, i) => task(i + 1, 'cancelled')))
    expect(p.counts.completed).toBe(0)
    expect(p.counts.cancelled).toBe(7)
    expect(progressSentence(p)).toBe('0 of 7 agents completed · 7 cancelled')
  })

  it('never counts a failed agent as finished, and groups both awaiting statuses', () => {
    const tasks = [task(1, 'completed'), task(2, 'failed'), task(3, 'running'), task(4, 'awaiting_review'), task(5, 'awaiting_budget'), task(6, 'pending'), task(7, 'skipped')]
    expect(progressSentence(progressCounts(tasks))).toBe('1 of 7 agents completed · 1 running · 2 awaiting · 1 failed · 1 skipped · 1 pending')
  })

  it('draws the summary bar in segments whose widths are the counts, with a legend in text and no green for a cancelled run', async () => {
    const html = await (
      <SessionSummary session={{ ...session, status: 'cancelled' }} tasks={[task(1, 'completed'), task(2, 'cancelled'), task(3, 'cancelled')]} now={at(60)} can_control csrf_token="t" />
    )
    expect(html).toContain('1 of 3 agents completed · 2 cancelled')
    expect(html).toContain('data-completed="1"')
    expect(html).toMatch(/<rect x="0" y="0" width="1" height="1" class="progress-seg progress-seg-completed"/)
    expect(html).toMatch(/<rect x="1" y="0" width="2" height="1" class="progress-seg progress-seg-cancelled"/)
    expect(html).toContain('<span>Cancelled</span> <strong class="tabular-nums">2</strong>')
    expect(html).not.toContain('<progress')

    const none = await <SessionSummary session={{ ...session, status: 'cancelled' }} tasks={[task(1, 'cancelled'), task(2, 'cancelled')]} now={at(60)} can_control={false} csrf_token={null} />
    expect(none).not.toContain('progress-seg-completed')
    expect(none).toContain('It was cancelled with 2 of 2 agents unfinished.')
  })
})

describe('failures explained', () => {
  it('names the failed agent a skipped one waited for, through the agents between them', () => {
    const tasks = failedRun()
    expect(skipCause(DAG_PLAN, tasks, 'security_specialist')).toEqual({ roles: ['backend_developer'], status: 'failed' })
    expect(planWithOutcomes(DAG_PLAN, tasks).blocked_by).toEqual({
      frontend_developer: ['backend_developer'],
      ui_ux_designer: ['backend_developer'],
      security_specialist: ['backend_developer'],
      it_administrator: ['backend_developer'],
    })
    expect(failedAgents(DAG_PLAN, tasks)).toEqual([
      {
        task_id: 2,
        agent_role: 'backend_developer',
        attempts: 3,
        error: 'Provider answered 503 <overloaded>',
        skipped: ['frontend_developer', 'ui_ux_designer', 'security_specialist', 'it_administrator'],
      },
    ])
  })

  it('says on a skipped card which agent failed', async () => {
    const tasks = failedRun()
    const html = await <AgentCard task={tasks[5] as TaskView} plan={planWithOutcomes(DAG_PLAN, tasks)} now={at(60)} />
    expect(html).toContain('Skipped: Backend Developer failed.')
    const unknown = await <AgentCard task={tasks[5] as TaskView} plan={DAG_PLAN} now={at(60)} />
    expect(unknown).toContain('Skipped: an agent it depends on did not finish.')
  })

  it('gives a failed session its failed role, attempts, escaped last error, who was skipped and the next steps', async () => {
    const html = await <SessionSummary session={session} tasks={failedRun()} plan={DAG_PLAN} now={at(60)} can_control csrf_token="t" />
    expect(html).toContain('Why it failed')
    expect(html).toContain('<span> failed after 3 attempts.</span>')
    expect(html).toContain('Provider answered 503 &lt;overloaded&gt;')
    expect(html).toContain('Skipped because of it: Frontend Developer, UI/UX Designer, Security Specialist and IT Administrator.')
    expect(html).toContain('action="/sessions/1/resume"')
    expect(html).toContain('href="#task-2" class="btn btn-secondary">Fork from Backend Developer</a>')
    expect(html).toContain('href="/teams/3?again=1#start-session-form"')

    const viewer = await <SessionSummary session={session} tasks={failedRun()} plan={DAG_PLAN} now={at(60)} can_control={false} csrf_token={null} />
    expect(viewer).toContain('Owners and members of the team can resume it')
    expect(viewer).not.toContain('again=1')
    expect(viewer).not.toContain('/resume')
  })

  it('says on a failed card after how many attempts, and points an ended session at the next step', async () => {
    const failed = failedRun()[1] as TaskView
    const ended = await <AgentCard task={failed} plan={DAG_PLAN} now={at(60)} can_review fork={{ session_id: 1 }} />
    expect(ended).toContain('Failed after 3 attempts')
    expect(ended).toContain('<a href="#session-failure">resume the session</a>')
    const running = await <AgentCard task={{ ...failed, retry_count: 0 }} plan={DAG_PLAN} now={at(60)} can_review />
    expect(running).toContain('Failed on its first attempt')
    expect(running).toContain('once it ends you can resume it')
  })
})

describe('confidence, durations and the start form', () => {
  it('shows a confidence as its level and percentage on cards and agents’ journal entries, the level alone for a member’s', async () => {
    expect(formatConfidence(null, 0.85)).toBe('High (85%)')
    expect(formatConfidence('medium')).toBe('Medium')
    expect(formatConfidence(null, 0.5)).toBe('Medium (50%)')
    expect(formatConfidence(null, 0.49)).toBe('Low (49%)')
    expect(await <ConfidenceBadge confidence="high" score={0.3} />).toContain('Low (30%)')

    const card = await <AgentCard task={task(1, 'completed')} plan={DAG_PLAN} now={at(60)} />
    expect(card).toContain('<span>High (85%)</span>')
    const journal = await (
      <JournalList
        tasks={[task(1, 'completed')]}
        decisions={[
          { id: 1, session_id: 1, decision_text: 'Use Stripe', category: null, confidence: 'high', source: 'agent', task_id: 1, agent_role: 'software_architect', created_at: at(5) },
          { id: 2, session_id: 1, decision_text: 'Ship Friday', category: null, confidence: 'medium', source: 'user', author: 'ada', created_at: at(6) },
        ]}
      />
    )
    expect(journal).toContain('<span>High (85%)</span>')
    expect(journal).toContain('<span>Medium</span>')
  })

  it('shows dashboard durations below 10 s in milliseconds', () => {
    expect(formatPreciseDuration(0.4321)).toBe('432 ms')
    expect(formatPreciseDuration(2.345)).toBe('2,345 ms')
    expect(formatPreciseDuration(12.4)).toBe('12s')
    expect(formatPreciseDuration(null)).toBe('—')
  })

  it('asks to tick an agent when none was, instead of “Agents are required: choose at least one”', async () => {
    const html = await (
      <StartSessionForm team_id={1} csrf_token="t" values={{ feature_name: 'x' }} errors={{ agents: 'Agents are required: choose at least one' }} />
    )
    expect(html).toContain('Tick at least one agent to run.')
    expect(html).not.toContain('choose at least one')
  })
})
