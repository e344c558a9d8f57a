import { Button, CsrfField, Spinner, TextField } from '../components/index.ts'
import { formatUsd } from '../format.ts'
import type { FieldErrors } from '../view-types.ts'

/** The id of the session page's budget panel (replaced whole, live and by the raise form). */
export const BUDGET_PANEL_ID = 'session-budget'

/** Props of {@link BudgetPanel}. */
export interface BudgetPanelProps {
  session_id: number
  status: string
  /** Null: the session has no budget. */
  budget_usd: number | null
  /** What its tasks cost so far, and what its running tasks hold reserved. */
  spent_usd: number
  reserved_usd: number
  awaiting: string | null
  /** Owners may raise the budget. */
  can_raise: boolean
  csrf_token: string | null
  /** The raise form's value and errors after a rejected submit. */
  value?: string
  errors?: FieldErrors
  oob?: boolean
}

/** The session's budget, spent and reserved; while a task waits for budget, the owner's "Raise budget" form. */
export function BudgetPanel(props: BudgetPanelProps): JSX.Element {
  const waiting = props.status === 'active' && props.awaiting === 'budget'
  const action = `/sessions/${props.session_id}/budget`
  return (
    <section id={BUDGET_PANEL_ID} class="panel" aria-labelledby="budget-title" hx-swap-oob={props.oob ? 'true' : undefined}>
      <h2 id="budget-title" class="section-title">
        Budget
      </h2>
      <dl class="summary-stats">
        <div>
          <dt>Budget</dt>
          <dd safe>{props.budget_usd === null ? 'None' : formatUsd(props.budget_usd)}</dd>
        </div>
        <div>
          <dt>Spent</dt>
          <dd data-budget="spent" safe>{formatUsd(props.spent_usd)}</dd>
        </div>
        <div>
          <dt>Reserved</dt>
          <dd data-budget="reserved" safe>{formatUsd(props.reserved_usd)}</dd>
        </div>
      </dl>
      {waiting ? (
        <p class="form-hint" role="status">
          Waiting for budget: the next agent’s estimate would pass the session’s or the team’s monthly budget.
        </p>
      ) : (
        ''
      )}
      {waiting && props.can_raise ? (
        <form id="raise-budget-form" method="post" action={action} hx-post={action} hx-target={`#${BUDGET_PANEL_ID}`} hx-swap="outerHTML" novalidate>
          <CsrfField token={props.csrf_token} />
          <TextField
            id="raise-budget_usd"
            name="budget_usd"
            label="New budget (USD)"
            inputmode="decimal"
            required
            value={props.value ?? ''}
            error={props.errors?.budget_usd}
            hint="The waiting agents go on once it covers their estimate. The team’s monthly budget is on the team’s settings."
          />
          <div class="form-actions">
            <Button>Raise budget</Button>
            <Spinner label="Saving…" indicator />
          </div>
        </form>
      ) : (
        ''
      )}
    </section>
  )
}

/** The panel as an out-of-band fragment of the live stream. */
export function BudgetPanelFragment(props: Omit<BudgetPanelProps, 'oob'>): JSX.Element {
  return <BudgetPanel {...props} oob />
}
