import { PageHeader } from '../components/index.ts'
import { Layout } from '../layout/index.ts'
import type { PageContext } from '../view-types.ts'
import { type ApiReferenceModel, type FieldRow, type OperationModel, proseParts, type TypePart } from './api-reference-model.ts'

/** Props of {@link ApiReferencePage}. */
export interface ApiReferencePageProps {
  ctx: PageContext
  model: ApiReferenceModel
}

const anchor = (kind: string, name: string): string => `${kind}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`

function TypeText(props: { parts: TypePart[] | null }): JSX.Element {
  if (!props.parts) return <span class="muted">no body</span>
  return (
    <code>
      {props.parts.map((p) =>
        p.ref ? (
          <a href={`#${anchor('schema', p.ref)}`} safe>
            {p.text}
          </a>
        ) : (
          <span safe>{p.text}</span>
        ),
      )}
    </code>
  )
}

/** Text with its `code` spans set as code. */
function Prose(props: { text: string }): JSX.Element {
  return (
    <>
      {proseParts(props.text).map((p) =>
        p.code ? (
          <code safe>{p.text}</code>
        ) : (
          <span safe>{p.text}</span>
        ),
      )}
    </>
  )
}

function Fields(props: { rows: FieldRow[]; caption: string }): JSX.Element {
  if (props.rows.length === 0) return ''
  return (
    <table class="table">
      <caption class="sr-only" safe>
        {props.caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Type</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            <td>
              <code safe>{r.name}</code>
              {r.required ? '' : <span class="muted"> (optional)</span>}
            </td>
            <td>
              <TypeText parts={r.type} />
            </td>
            <td>
              <Prose text={r.description} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Operation(props: { op: OperationModel }): JSX.Element {
  const { op } = props
  return (
    <article id={anchor('op', op.id)} class="panel stack" aria-labelledby={`${anchor('op', op.id)}-title`}>
      <h3 id={`${anchor('op', op.id)}-title`} class="section-title">
        <code safe>{`${op.method} ${op.path}`}</code>
      </h3>
      <p>
        <Prose text={op.summary} />
      </p>
      {op.description ? (
        <p class="muted">
          <Prose text={op.description} />
        </p>
      ) : (
        ''
      )}
      <dl class="doc-facts">
        <div>
          <dt>Operation id</dt>
          <dd>
            <code safe>{op.id}</code>
          </dd>
        </div>
        <div>
          <dt>Authentication</dt>
          <dd safe>{op.auth}</dd>
        </div>
        {op.parameters.map((p) => (
          <div>
            <dt safe>{`${p.location} parameter${p.required ? '' : ' (optional)'}`}</dt>
            <dd>
              <code safe>{p.name}</code>: <TypeText parts={p.type} />
            </dd>
          </div>
        ))}
        {op.body ? (
          <div>
            <dt>Request body (JSON)</dt>
            <dd>
              <TypeText parts={op.body} />
            </dd>
          </div>
        ) : (
          ''
        )}
      </dl>
      <Fields rows={op.body_fields} caption={`Request body of ${op.id}`} />
      <table class="table">
        <caption class="sr-only">Responses</caption>
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Body</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {op.responses.map((r) => (
            <tr>
              <td safe>{r.status}</td>
              <td>
                <TypeText parts={r.type} /> {r.media && r.media !== 'application/json' ? <span class="muted" safe>{r.media}</span> : ''}
              </td>
              <td>
                <Prose text={r.description} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  )
}

/**
 * `/api/docs` in a browser: the API reference rendered from the OpenAPI document (operations by
 * area, then every named schema), with no script of its own. The same URL serves the JSON document.
 */
export function ApiReferencePage(props: ApiReferencePageProps): JSX.Element {
  const { model } = props
  return (
    <Layout title="API reference" ctx={props.ctx} wide>
      <PageHeader title={model.title} subtitle={`Version ${model.version} · OpenAPI 3.1 · ${model.license}`} />
      <section class="section stack" aria-labelledby="api-intro">
        <h2 id="api-intro" class="section-title">
          Using the API
        </h2>
        <p>
          <Prose text={model.description} />
        </p>
        <p>
          Server: <code safe>{model.servers.join(', ')}</code>. The machine-readable document is this address requested with{' '}
          <code>Accept: application/json</code>: <a href="/api/docs?format=json">generate a client from it</a>.
        </p>
        <nav aria-label="API areas">
          <ul>
            {model.groups.map((g) => (
              <li>
                <a href={`#${anchor('tag', g.tag)}`} safe>
                  {g.tag}
                </a>{' '}
                <span class="muted">
                  <Prose text={g.description} />
                </span>
              </li>
            ))}
            <li>
              <a href="#schemas">Schemas</a>
            </li>
          </ul>
        </nav>
      </section>
      {model.groups.map((g) => (
        <section id={anchor('tag', g.tag)} class="section stack" aria-labelledby={`${anchor('tag', g.tag)}-title`}>
          <h2 id={`${anchor('tag', g.tag)}-title`} class="section-title" safe>
            {g.tag}
          </h2>
          <p class="muted">
            <Prose text={g.description} />
          </p>
          {g.operations.map((op) => (
            <Operation op={op} />
          ))}
        </section>
      ))}
      <section id="schemas" class="section stack" aria-labelledby="schemas-title">
        <h2 id="schemas-title" class="section-title">
          Schemas
        </h2>
        {model.schemas.map((s) => (
          <article id={anchor('schema', s.name)} class="panel stack" aria-labelledby={`${anchor('schema', s.name)}-title`}>
            <h3 id={`${anchor('schema', s.name)}-title`} class="section-title">
              <code safe>{s.name}</code> <TypeText parts={s.type} />
            </h3>
            {s.description ? (
              <p>
                <Prose text={s.description} />
              </p>
            ) : (
              ''
            )}
            <Fields rows={s.fields} caption={`Fields of ${s.name}`} />
          </article>
        ))}
      </section>
    </Layout>
  )
}
