import { humanize, roleLabel } from '../format.ts'
import { type FindingView, groupFindings } from '../session/findings-section.view.tsx'

/** The design document's consistency section: the score and the findings grouped by rule, read-only. */
export function FindingsDocumentSection(props: { score: number | null; findings: FindingView[] }): JSX.Element {
  const groups = groupFindings(props.findings)
  return (
    <section id="consistency-findings" class="doc-section" aria-labelledby="consistency-findings-title">
      <h2 id="consistency-findings-title" class="doc-section-title">
        Consistency findings
      </h2>
      {props.score === null && props.findings.length === 0 ? (
        <p class="muted">The outputs have not been checked against each other (the session did not complete).</p>
      ) : (
        <p>
          Consistency score <strong safe>{`${props.score ?? '—'} / 100`}</strong>
          {props.findings.length === 0 ? ': no finding, the roles’ outputs agree with each other.' : ''}
        </p>
      )}
      {groups.map((g) => (
        <div class="doc-block">
          <h3 class="doc-block-title" safe>
            {g.title}
          </h3>
          <ul class="doc-concerns">
            {g.findings.map((f) => (
              <li data-severity={f.severity} data-status={f.status}>
                <span class="doc-concern-role" safe>
                  {`${humanize(f.severity)} · ${humanize(f.status)} · ${f.roles.map(roleLabel).join(', ')}`}
                </span>
                <span safe>{f.message}</span>
                {f.note ? <span class="muted" safe>{` Note: ${f.note}`}</span> : ''}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  )
}
