import { Markdown } from '../markdown/index.ts'
import { readAgentOutput } from '../session/agent-output.ts'
import type { TaskView } from '../view-types.ts'
import { roleBlocks } from './role-blocks.ts'
import { RoleBlocks } from './role-blocks.view.tsx'

/** A completed task's output read whole: analysis, approach, decisions, concerns, then the role's own fields by kind. */
export function AgentOutputView(props: { task: TaskView; id: string }): JSX.Element {
  const { task } = props
  const out = readAgentOutput(task.output_data)
  const decisions = task.decisions?.length
    ? task.decisions.map((d) => ({ text: d.decision_text, rationale: d.rationale, category: d.category }))
    : out.decisions
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
              <li>
                <p class="doc-decision-text">
                  <span safe>{d.text}</span>
                  {d.category ? (
                    <span class="tag" safe>
                      {d.category}
                    </span>
                  ) : (
                    ''
                  )}
                </p>
                {d.rationale ? (
                  <p class="agent-rationale" safe>
                    {d.rationale}
                  </p>
                ) : (
                  ''
                )}
              </li>
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
