import { ConfidenceBadge, TimeText } from '../components/index.ts'
import { roleLabel } from '../format.ts'
import type { DecisionView, TaskView } from '../view-types.ts'
import { readAgentOutput } from './agent-output.ts'

/** The DOM id of the journal's list; live fragments and the add-decision response replace it whole. */
export const JOURNAL_LIST_ID = 'journal-list'

/** Who made a decision, in words: the agent's role, the reviewer or the team member. */
export function decisionWho(d: DecisionView): string {
  const source = d.source ?? 'user'
  if (source === 'agent') return d.agent_role ? roleLabel(d.agent_role) : 'An agent'
  if (source === 'review') return d.author ? `Review by ${d.author}` : 'Review'
  return d.author ?? 'A team member'
}

/**
 * The 0..1 confidence of each task's output by task id, so an agent's journal entry shows it as its
 * card does (`High (85%)`).
 */
export function confidenceScores(tasks: readonly TaskView[]): Record<number, number> {
  const out: Record<number, number> = {}
  for (const t of tasks) {
    const score = t.confidence ?? readAgentOutput(t.output_data).confidence
    if (score !== null && score !== undefined) out[t.id] = score
  }
  return out
}

/** One journal entry: the decision, its rationale, who made it, category, confidence and time. */
export function DecisionItem(props: { decision: DecisionView; score?: number | null }): JSX.Element {
  const d = props.decision
  const source = d.source ?? 'user'
  return (
    <li id={`decision-${source}-${d.id}`} class="journal-item" data-source={source}>
      <p class="journal-text" safe>
        {d.decision_text}
      </p>
      <DecisionDetails decision={d} score={props.score} who_class={['journal-who', `journal-who-${source}`]} />
    </li>
  )
}

/** A decision's rationale (when it has one), then who made it, its category, confidence and time. */
export function DecisionDetails(props: { decision: DecisionView; who_class: string[]; score?: number | null }): JSX.Element {
  const d = props.decision
  return (
    <>
      {d.rationale ? (
        <p class="agent-rationale" safe>
          {d.rationale}
        </p>
      ) : (
        ''
      )}
      <p class="journal-meta">
        <span class={props.who_class} safe>
          {decisionWho(d)}
        </span>
        {d.category ? (
          <span class="tag" safe>
            {d.category}
          </span>
        ) : (
          ''
        )}
        <ConfidenceBadge confidence={d.confidence} score={props.score} />
        <TimeText iso={d.created_at} />
      </p>
    </>
  )
}

/**
 * The whole journal list, oldest first: members', agents' and reviewers' decisions together.
 * Replacing the list (not appending an entry) keeps the update idempotent: the form response and
 * the live stream may both deliver the same decision.
 */
export function JournalList(props: { decisions: DecisionView[]; oob?: boolean; tasks?: readonly TaskView[] }): JSX.Element {
  const scores = props.tasks ? confidenceScores(props.tasks) : {}
  return (
    <ol id={JOURNAL_LIST_ID} class="journal-list" hx-swap-oob={props.oob ? 'true' : undefined}>
      {props.decisions.length === 0 ? (
        <li class="journal-empty">No decisions recorded yet. Agents add theirs as they finish; you can add your own below.</li>
      ) : (
        props.decisions.map((d) => <DecisionItem decision={d} score={d.source === 'agent' && d.task_id ? scores[d.task_id] : undefined} />)
      )}
    </ol>
  )
}
