import { ConfidenceBadge, TimeText } from '../components/index.ts'
import type { DecisionView } from '../view-types.ts'

/** The DOM id of the journal's list; live fragments and the add-decision response replace it whole. */
export const JOURNAL_LIST_ID = 'journal-list'

/** One journal entry. */
export function DecisionItem(props: { decision: DecisionView }): JSX.Element {
  const d = props.decision
  return (
    <li id={`decision-${d.id}`} class="journal-item">
      <p class="journal-text" safe>
        {d.decision_text}
      </p>
      <p class="journal-meta">
        {d.category ? (
          <span class="tag" safe>
            {d.category}
          </span>
        ) : (
          ''
        )}
        <ConfidenceBadge confidence={d.confidence} />
        <TimeText iso={d.created_at} />
      </p>
    </li>
  )
}

/**
 * The whole journal list, oldest first. Replacing the list (not appending an entry) keeps the
 * update idempotent: the form response and the live stream may both deliver the same decision.
 */
export function JournalList(props: { decisions: DecisionView[]; oob?: boolean }): JSX.Element {
  return (
    <ol id={JOURNAL_LIST_ID} class="journal-list" hx-swap-oob={props.oob ? 'true' : undefined}>
      {props.decisions.length === 0 ? (
        <li class="journal-empty">No decisions recorded yet. Agents add theirs as they finish; you can add your own below.</li>
      ) : (
        props.decisions.map((d) => <DecisionItem decision={d} />)
      )}
    </ol>
  )
}
