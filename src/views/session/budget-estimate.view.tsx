import { formatTokensInOut, formatUsd, roleLabel } from '../format.ts'

/** The pre-flight estimate as the start form shows it (API.md `POST /api/sessions/estimate`). */
export interface EstimateView {
  input_tokens: number
  output_tokens: number
  cost_usd: number
  by_role: Array<{ agent_role: string; model: string; input_tokens: number; output_tokens: number; cost_usd: number; price_known: boolean; basis: string }>
}

/** The id of the start form's estimate (replaced whole when the choice changes). */
export const START_ESTIMATE_ID = 'start-estimate'

/**
 * The start form's estimate for the chosen plan and agents. With htmx it asks again whenever the
 * form changes (a POST inside the form carries its fields); without, "Update estimate" posts the
 * form to the same address and the page comes back with the new estimate and the choice kept.
 */
export function StartEstimate(props: { team_id: number; estimate: EstimateView | null }): JSX.Element {
  const action = `/teams/${props.team_id}/estimate`
  const e = props.estimate
  const unknown = e ? e.by_role.filter((r) => !r.price_known).map((r) => r.model) : []
  return (
    <div id={START_ESTIMATE_ID} class="form-card" hx-post={action} hx-trigger="change from:#start-session-form" hx-target="this" hx-swap="outerHTML" aria-live="polite">
      {e ? (
        <p>
          Estimated cost <strong data-estimate="total" safe>{formatUsd(e.cost_usd)}</strong>{' '}
          <span class="muted" safe>{`(${formatTokensInOut(e.input_tokens, e.output_tokens)} tokens)`}</span>
        </p>
      ) : (
        <p data-estimate="total">Choose at least one agent to see an estimate.</p>
      )}
      {unknown.length > 0 ? <p class="form-hint" safe>{`Price unknown for ${[...new Set(unknown)].join(', ')}: counted as $0.`}</p> : ''}
      {e && e.by_role.length > 0 ? (
        <details>
          <summary>Per agent</summary>
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Agent</th>
                  <th scope="col">Model</th>
                  <th scope="col">Tokens</th>
                  <th scope="col">Cost</th>
                </tr>
              </thead>
              <tbody>
                {e.by_role.map((r) => (
                  <tr>
                    <td safe>{roleLabel(r.agent_role)}</td>
                    <td safe>{r.model}</td>
                    <td safe>{`${formatTokensInOut(r.input_tokens, r.output_tokens)}${r.basis === 'default' ? ' (default)' : ''}`}</td>
                    <td>{r.price_known ? formatUsd(r.cost_usd) : 'price unknown'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="form-hint">Per agent: the team’s mean tokens for that role (a default of 3,000 in and 1,500 out before its first run) × its model’s price.</p>
        </details>
      ) : (
        ''
      )}
      <button type="submit" formaction={action} formnovalidate class="btn btn-secondary">
        Update estimate
      </button>
    </div>
  )
}
