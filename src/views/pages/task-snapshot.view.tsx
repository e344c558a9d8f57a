import { z } from 'zod'
import { EmptyState, JsonTree, PageHeader, SimulatedBanner, StatusBadge, TimeText } from '../components/index.ts'
import { formatCount, formatDuration, formatUsd, roleLabel } from '../format.ts'
import { AgentOutputView } from '../document/agent-output.view.tsx'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import type { PageContext, SessionView, SnapshotView, TaskView } from '../view-types.ts'

/** Props of {@link TaskSnapshotPage}. */
export interface TaskSnapshotPageProps {
  ctx: PageContext
  session: SessionView
  task: TaskView
  /** Null until the agent has recorded one. */
  snapshot: SnapshotView | null
  /** The execution metadata of every snapshot, oldest first (each attempt's model replies); default: the latest snapshot's. */
  attempts?: unknown[]
}

/** One model call as the snapshot's execution metadata keeps it (ReplyRecord). */
const ReplySchema = z.object({
  purpose: z.string(),
  provider: z.string(),
  model: z.string(),
  text: z.string(),
  chars: z.number(),
  finishReason: z.string(),
  firstTokenMs: z.number().nullable(),
  totalMs: z.number(),
  error: z.string().optional(),
  sameAsOutput: z.boolean().optional(),
})
const RepliesSchema = z.object({
  attempt: z.number().optional(),
  outcome: z.string().optional(),
  reply_outcome: z.string().optional(),
  replies: z.array(ReplySchema).default([]),
})

const PURPOSES: Record<string, string> = { answer: 'Answer', longer: 'Again with a larger token limit', repair: 'Repair call' }
const OUTCOMES: Record<string, string> = {
  valid: 'valid at once',
  repaired_locally: 'repaired locally',
  repaired_by_call: 'repaired by the repair call',
  failed: 'failed',
}

function ms(value: number | null): string {
  return value === null ? '—' : `${formatCount(value)} ms`
}

/** What the model said to each call of each attempt, raw and escaped, with finish reason and timing; newest attempt open. */
export function ModelReplies(props: { attempts: unknown[] }): JSX.Element {
  const attempts = props.attempts.flatMap((m) => {
    const parsed = RepliesSchema.safeParse(m)
    return parsed.success && parsed.data.replies.length > 0 ? [parsed.data] : []
  })
  if (attempts.length === 0) return <></>
  return (
    <section aria-labelledby="task-replies" class="panel">
      <h2 id="task-replies" class="section-title">
        Model replies
      </h2>
      {attempts.map((attempt, a) => (
        <div class="snapshot-grid">
          <p class="muted" safe>
            {[
              attempt.attempt === undefined ? `Attempt ${a + 1}` : `Attempt ${attempt.attempt}`,
              attempt.outcome,
              attempt.reply_outcome ? `reply ${OUTCOMES[attempt.reply_outcome] ?? attempt.reply_outcome}` : undefined,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
          {attempt.replies.map((reply, i) => (
            <details class="snapshot-part" open={a === attempts.length - 1 && i === attempt.replies.length - 1}>
              <summary safe>{`${i + 1}. ${PURPOSES[reply.purpose] ?? reply.purpose} · ${reply.provider} / ${reply.model} · ${reply.finishReason}`}</summary>
              <dl class="facts">
                <div>
                  <dt>First token</dt>
                  <dd safe>{ms(reply.firstTokenMs)}</dd>
                </div>
                <div>
                  <dt>Total</dt>
                  <dd safe>{ms(reply.totalMs)}</dd>
                </div>
                <div>
                  <dt>Characters</dt>
                  <dd safe>{reply.chars > reply.text.length && !reply.sameAsOutput ? `${formatCount(reply.chars)} (first ${formatCount(reply.text.length)} kept)` : formatCount(reply.chars)}</dd>
                </div>
              </dl>
              {reply.error ? (
                <p class="agent-error" safe>
                  {reply.error}
                </p>
              ) : (
                ''
              )}
              {reply.text.length > 0 ? (
                <pre class="doc-code" safe>
                  {reply.text}
                </pre>
              ) : (
                <p class="muted">{reply.sameAsOutput ? 'The reply is the output above, as stored.' : 'No text.'}</p>
              )}
            </details>
          ))}
        </div>
      ))}
    </section>
  )
}

/** The snapshot inspector: a task's facts, its input and output, and the agent's recorded state. */
export function TaskSnapshotPage(props: TaskSnapshotPageProps): JSX.Element {
  const { task, snapshot, session } = props
  const label = roleLabel(task.agent_role)
  return (
    <Layout title={`${label} · ${session.feature_name}`} ctx={props.ctx} wide>
      <PageHeader title={label} subtitle={task.task_description} eyebrow={session.feature_name} eyebrowHref={paths.session(session.id)}>
        <StatusBadge status={task.status} />
      </PageHeader>
      <SimulatedBanner models={[task.model]} />
      <section aria-labelledby="task-facts" class="panel">
        <h2 id="task-facts" class="section-title">
          Task
        </h2>
        <dl class="facts">
          <div>
            <dt>Started</dt>
            <dd>
              <TimeText iso={task.started_at} />
            </dd>
          </div>
          <div>
            <dt>Completed</dt>
            <dd>
              <TimeText iso={task.completed_at} />
            </dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd safe>{formatDuration(task.duration_seconds)}</dd>
          </div>
          <div>
            <dt>Retries</dt>
            <dd safe>{String(task.retry_count)}</dd>
          </div>
          <div>
            <dt>Model</dt>
            <dd safe>{task.model ?? '—'}</dd>
          </div>
          <div>
            <dt>Tokens in / out</dt>
            <dd safe>{`${formatCount(task.input_tokens)} / ${formatCount(task.output_tokens)}`}</dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd safe>{formatUsd(task.cost_usd)}</dd>
          </div>
        </dl>
        {task.error_message ? (
          <div class="agent-failure" role="note">
            <p class="font-semibold">Error</p>
            <p class="agent-error" safe>
              {task.error_message}
            </p>
          </div>
        ) : (
          ''
        )}
      </section>
      <section aria-labelledby="task-output" class="panel">
        <h2 id="task-output" class="section-title">
          Output
        </h2>
        {task.status === 'completed' && task.output_data !== null && typeof task.output_data === 'object' ? (
          <AgentOutputView task={task} id={`task-${task.id}-output`} />
        ) : (
          <JsonTree value={task.output_data} />
        )}
        <p class="agent-card-foot">
          <a href={paths.sessionDocumentRole(session.id, task.agent_role)}>Read it in the design document</a>
        </p>
      </section>
      <section aria-labelledby="task-input" class="panel">
        <h2 id="task-input" class="section-title">
          Input
        </h2>
        <JsonTree value={task.input_data} />
      </section>
      <ModelReplies attempts={props.attempts ?? (snapshot ? [snapshot.execution_metadata] : [])} />
      <section aria-labelledby="task-snapshot" class="panel">
        <h2 id="task-snapshot" class="section-title">
          Snapshot
        </h2>
        {snapshot ? (
          <div class="snapshot-grid">
            <p class="muted">
              Recorded <TimeText iso={snapshot.created_at} />
            </p>
            {(
              [
                ['Context state', snapshot.context_state],
                ['Capabilities', snapshot.capabilities],
                ['Decisions', snapshot.decisions],
                ['Execution metadata', snapshot.execution_metadata],
              ] as const
            ).map(([title, value]) => (
              <details class="snapshot-part" open>
                <summary>{title}</summary>
                <JsonTree value={value} />
              </details>
            ))}
          </div>
        ) : (
          <EmptyState title="No snapshot yet" message="The agent records its state when its task ends." />
        )}
      </section>
    </Layout>
  )
}
