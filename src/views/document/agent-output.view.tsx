import { Markdown } from '../markdown/index.ts'
import { AgentDecisionItem, readAgentOutput, taskDecisions } from '../session/index.ts'
import type { TaskView } from '../view-types.ts'
import { roleBlocks } from './role-blocks.ts'
import { RoleBlocks } from './role-blocks.view.tsx'

/** A completed task's output read whole: analysis, approach, decisions, concerns, then the role's own fields by kind. */
export function AgentOutputView(props: { task: TaskView; id: string }): JSX.Element {
  const { task } = props
  const out = readAgentOutput(task.output_data)
  const decisions = taskDecisions(task, out)
  return (
    <div class="doc-output">
      {out.analysis ? (
        <section class="doc-block">
          <h3 class="doc-block-title">Analysis</h3>
          <Markdown text={out.analysis} />
        </section>
      ) : (
        ''
      )}
      {out.approach ? (
        <section class="doc-block">
          <h3 class="doc-block-title">Approach</h3>
          <Markdown text={out.approach} />
        </section>
      ) : (
        ''
      )}
      {decisions.length ? (
        <section class="doc-block">
          <h3 class="doc-block-title">Decisions</h3>
          <ul class="doc-decisions">
            {decisions.map((d) => (
              <AgentDecisionItem decision={d} text_class="doc-decision-text" />
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      {out.concerns.length ? (
        <section class="doc-block">
          <h3 class="doc-block-title">Concerns</h3>
          <ul class="doc-list">
            {out.concerns.map((c) => (
              <li safe>{c}</li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      <RoleBlocks blocks={roleBlocks(task.output_data)} id={props.id} />

    </div>
  )
}
