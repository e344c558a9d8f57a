import { StatusBadge } from '../components/index.ts'
import { formatCount, formatPercent, formatUsd, roleLabel } from '../format.ts'
import { readAgentOutput } from '../session/agent-output.ts'
import type { TaskView } from '../view-types.ts'
import { roleAnchor } from './document-data.ts'
import { AgentOutputView } from './agent-output.view.tsx'

const NO_OUTPUT: Record<string, string> = {
  pending: 'Not started yet.',
  running: 'Still working.',
  failed: 'Failed: no output.',
  skipped: 'Skipped: a role it depends on failed.',
  cancelled: 'Cancelled before it finished.',
}

/** One role's section of the design document: its facts, analysis, approach, decisions, concerns and own fields. */
export function RoleSection(props: { task: TaskView; index: number }): JSX.Element {
  const { task } = props
  const anchor = roleAnchor(task.agent_role)
  const out = readAgentOutput(task.output_data)
  const completed = task.status === 'completed'
  return (
    <section id={anchor} class="doc-section doc-role" aria-labelledby={`${anchor}-title`}>
      <header class="doc-role-head">
        <h2 id={`${anchor}-title`} class="doc-section-title" safe>
          {`${props.index}. ${roleLabel(task.agent_role)}`}
        </h2>
        <StatusBadge status={task.status} />
      </header>
      <p class="doc-role-meta" safe>
        {[
          task.model,
          out.confidence !== null && completed ? `confidence ${formatPercent(out.confidence)}` : null,
          `${formatCount(task.input_tokens)} tokens in, ${formatCount(task.output_tokens)} out`,
          task.cost_usd !== null && task.cost_usd !== undefined ? formatUsd(task.cost_usd) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      {!completed ? (
        <div class="doc-role-missing">
          <p safe>{NO_OUTPUT[task.status] ?? 'No output.'}</p>
          {task.error_message ? (
            <p class="agent-error" safe>
              {task.error_message}
            </p>
          ) : (
            ''
          )}
        </div>
      ) : (
        <AgentOutputView task={task} id={anchor} />
      )}
    </section>
  )
}
