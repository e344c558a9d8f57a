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
