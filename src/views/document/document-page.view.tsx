import { PageHeader, SimulatedBanner, StatusBadge, TimeText, TokenCostCells, TokenCostHeads } from '../components/index.ts'
import { formatDuration, formatTokensInOut, formatUsd, planLabel, roleLabel } from '../format.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import { DecisionDetails, readAgentOutput } from '../session/index.ts'
import type { DecisionView, PageContext, TaskView } from '../view-types.ts'
import { type DesignDocumentData, openConcerns, planSequence, roleAnchor, tasksInPlanOrder } from './document-data.ts'
import { FindingsDocumentSection } from './findings-document.view.tsx'
import { RoleSection } from './role-section.view.tsx'

/** Props of {@link DesignDocumentPage}. */
export interface DesignDocumentPageProps {
  ctx: PageContext
  doc: DesignDocumentData
}

/**
 * The design document: one page to read top to bottom and print. Summary, one section per role in
 * plan order with its fields shown as what they are, the decision log, the open concerns, and
 * tokens and cost per role. Print styles drop the site's navigation.
 */
export function DesignDocumentPage(props: DesignDocumentPageProps): JSX.Element {
  const { doc } = props
  const { session } = doc
  const tasks = tasksInPlanOrder(doc.tasks, doc.plan)
  const concerns = openConcerns(tasks, (o) => readAgentOutput(o).concerns)
  return (
    <Layout title={`Design: ${session.feature_name}`} ctx={props.ctx}>
      <article class="design-doc">
        <PageHeader title={session.feature_name} subtitle={session.description || null} eyebrow={`${doc.team.name} · design document`}>
          <a href={paths.session(session.id)} class="btn btn-secondary doc-screen-only">
            Live session
          </a>
          <a href={paths.sessionExport(session.id, 'md')} class="btn btn-primary doc-screen-only" download="" hx-boost="false">
            Download Markdown
          </a>
          <a href={paths.sessionExport(session.id, 'json')} class="btn btn-secondary doc-screen-only" download="" hx-boost="false">
            Download JSON
          </a>
        </PageHeader>
        <SimulatedBanner models={doc.tasks.map((t) => t.model)} />
        <section class="doc-section doc-summary" aria-labelledby="doc-summary-title">
          <h2 id="doc-summary-title" class="doc-section-title">
            Summary
          </h2>
          <dl class="doc-facts doc-summary-facts">
            <div>
              <dt>Feature</dt>
              <dd safe>{session.feature_name}</dd>
            </div>
            <div>
              <dt>Plan</dt>
              <dd safe>{`${planLabel(session.plan)} · ${planSequence(tasks, doc.plan, roleLabel)}`}</dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={session.status} />
              </dd>
            </div>
            <div>
              <dt>Started by</dt>
              <dd safe>{doc.started_by ?? 'a former member'}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>
                <TimeText iso={session.started_at} />
              </dd>
            </div>
            <div>
              <dt>Duration</dt>
              <dd safe>{formatDuration(session.duration_seconds)}</dd>
            </div>
            <div>
              <dt>Tokens</dt>
              <dd safe>{formatTokensInOut(session.input_tokens ?? 0, session.output_tokens ?? 0)}</dd>
            </div>
            <div>
              <dt>Cost</dt>
              <dd safe>{formatUsd(session.cost_usd ?? null)}</dd>
            </div>
          </dl>
          <nav class="doc-toc" aria-label="Contents">
            <ol>
              {tasks.map((t) => (
                <li>
                  <a href={`#${roleAnchor(t.agent_role)}`} safe>
                    {roleLabel(t.agent_role)}
                  </a>
                </li>
              ))}
              <li>
                <a href="#decision-log">Decision log</a>
              </li>
              <li>
                <a href="#open-concerns">Open concerns</a>
              </li>
              <li>
                <a href="#consistency-findings">Consistency findings</a>
              </li>
              <li>
                <a href="#tokens-and-cost">Tokens and cost</a>
              </li>
            </ol>
          </nav>
        </section>
        {tasks.map((t, i) => (
          <RoleSection task={t} index={i + 1} />
        ))}
        <DecisionLog decisions={doc.decisions} />
        <section id="open-concerns" class="doc-section" aria-labelledby="open-concerns-title">
          <h2 id="open-concerns-title" class="doc-section-title">
            Open concerns
          </h2>
          {concerns.length === 0 ? (
            <p class="muted">No role raised a concern.</p>
          ) : (
            <ul class="doc-concerns">
              {concerns.map((c) => (
                <li>
                  <span class="doc-concern-role" safe>
                    {roleLabel(c.agent_role)}
                  </span>
                  <span safe>{c.text}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <FindingsDocumentSection score={session.consistency_score ?? null} findings={doc.findings ?? []} />
        <CostTable tasks={tasks} session={session} />
      </article>
    </Layout>
  )
}

/** The decision log: every decision with its rationale, category, confidence and who made it. */
function DecisionLog(props: { decisions: DecisionView[] }): JSX.Element {
  return (
    <section id="decision-log" class="doc-section" aria-labelledby="decision-log-title">
      <h2 id="decision-log-title" class="doc-section-title">
        Decision log
      </h2>
      {props.decisions.length === 0 ? (
        <p class="muted">No decisions were recorded.</p>
      ) : (
        <ol class="doc-log">
          {props.decisions.map((d) => (
            <li class="doc-log-item" data-source={d.source ?? 'user'}>
              <p class="doc-decision-text" safe>
                {d.decision_text}
              </p>
              <DecisionDetails decision={d} who_class={['journal-who']} />
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

/** Tokens and cost per role, with the session's total. */
function CostTable(props: { tasks: TaskView[]; session: DesignDocumentData['session'] }): JSX.Element {
  return (
    <section id="tokens-and-cost" class="doc-section" aria-labelledby="tokens-and-cost-title">
      <h2 id="tokens-and-cost-title" class="doc-section-title">
        Tokens and cost
      </h2>
      <div class="doc-table-wrap">
        <table class="doc-table doc-cost-table">
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Model</th>
              <TokenCostHeads />
            </tr>
          </thead>
          <tbody>
            {props.tasks.map((t) => (
              <tr>
                <th scope="row" safe>
                  {roleLabel(t.agent_role)}
                </th>
                <td data-label="Model" safe>
                  {t.model ?? '—'}
                </td>
                <TokenCostCells input_tokens={t.input_tokens} output_tokens={t.output_tokens} cost_usd={t.cost_usd ?? null} />
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td data-label="Model"></td>
              <TokenCostCells
                input_tokens={props.session.input_tokens ?? 0}
                output_tokens={props.session.output_tokens ?? 0}
                cost_usd={props.session.cost_usd ?? null}
              />
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  )
}
