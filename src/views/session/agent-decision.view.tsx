import type { TaskView } from '../view-types.ts'
import type { AgentDecision, AgentOutput } from './agent-output.ts'

/** A task's decisions: the journal's rows when the task has them, else those its output reported. */
export function taskDecisions(task: TaskView, out: AgentOutput): AgentDecision[] {
  return task.decisions?.length
    ? task.decisions.map((d) => ({ text: d.decision_text, rationale: d.rationale, category: d.category }))
    : out.decisions
}

/** One agent decision as a list item: its text and category, then its rationale when it has one. */
export function AgentDecisionItem(props: { decision: AgentDecision; text_class?: string }): JSX.Element {
  const d = props.decision
  return (
    <li>
      <p class={props.text_class}>
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
  )
}
