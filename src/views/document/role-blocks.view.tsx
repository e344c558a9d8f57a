import { Markdown } from '../markdown/index.ts'
import { FlowDiagram } from './flow-diagram.view.tsx'
import { type Cell, type CodeItem, type RoleBlock, swatchColour } from './role-blocks.ts'

/** Props of {@link RoleBlocks}. */
export interface RoleBlocksProps {
  blocks: RoleBlock[]
  /** Unique on the page (the role): prefixes heading and diagram ids. */
  id: string
  /** The heading level of each field's title (3 in the document, 4 inside a section of a page). */
  level?: 3 | 4
}

function CellView(props: { cell: Cell }): JSX.Element {
  return props.cell.code ? <code safe>{props.cell.text}</code> : <span safe>{props.cell.text}</span>
}

function CodeView(props: { item: CodeItem }): JSX.Element {
  return (
    <figure class="doc-code-item">
      {props.item.caption ? (
        <figcaption class="doc-code-caption" safe>
          {props.item.caption}
        </figcaption>
      ) : (
        ''
      )}
      <pre class="doc-code" data-language={props.item.language}>
        <code safe>{props.item.code}</code>
      </pre>
    </figure>
  )
}

function BlockBody(props: { block: RoleBlock; id: string }): JSX.Element {
  const b = props.block
  switch (b.kind) {
    case 'markdown':
      return <Markdown text={b.text} />
    case 'list': {
      const items = b.items.map((item) => <li safe>{item}</li>)
      return b.ordered ? <ol class="doc-list doc-list-ordered">{items}</ol> : <ul class="doc-list">{items}</ul>
    }
    case 'table':
      return (
        <div class="doc-table-wrap">
          <table class="doc-table">
            <thead>
              <tr>
                {b.columns.map((c) => (
                  <th scope="col" safe>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {b.rows.map((row) => (
                <tr>
                  {row.map((cell, i) => (
                    <td data-label={b.columns[i]}>
                      <CellView cell={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )
    case 'code':
      return (
        <div class="doc-code-list">
          {b.items.map((item) => (
            <CodeView item={item} />
          ))}
        </div>
      )
    case 'diagram':
      return <FlowDiagram source={b.source} id={`${props.id}-diagram`} title={b.title} />
    case 'swatches':
      return (
        <ul class="doc-swatches">
          {b.tokens.map((t) => {
            const colour = swatchColour(t.value)
            return (
              <li class="doc-swatch">
                {/* An SVG fill, not a style attribute: the CSP allows no inline styles, and the colour passed swatchColour's check. */}
                <svg class="doc-swatch-chip" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true">
                  <rect x="0.5" y="0.5" width="31" height="31" rx="4" fill={colour ?? 'none'} stroke="#94a3b8" />
                  {colour ? '' : <path d="M4 28 L28 4" stroke="#94a3b8" />}
                </svg>
                <span class="doc-swatch-text">
                  <code safe>{t.name}</code>
                  <code class="doc-swatch-value" safe>
                    {t.value}
                  </code>
                  <span class="doc-swatch-usage" safe>
                    {t.usage}
                  </span>
                </span>
              </li>
            )
          })}
        </ul>
      )
    case 'steps':
      return (
        <div class="doc-flows">
          {b.groups.map((g) => (
            <div class="doc-flow">
              <p class="doc-flow-name" safe>
                {g.name}
              </p>
              <ol class="doc-list doc-list-ordered">
                {g.steps.map((s) => (
                  <li safe>{s}</li>
                ))}
              </ol>
            </div>
          ))}
        </div>
      )
    case 'models':
      return (
        <div class="doc-models">
          {b.models.map((m) => (
            <div class="doc-table-wrap">
              <table class="doc-table doc-table-pairs">
                <caption safe>{m.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Type</th>
                  </tr>
                </thead>
                <tbody>
                  {m.fields.map((f) => (
                    <tr>
                      <td data-label="Field">
                        <code safe>{f.name}</code>
                      </td>
                      <td data-label="Type">
                        <code safe>{f.type}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </div>
      )
    case 'facts':
      return (
        <dl class="doc-facts">
          {b.facts.map((f) => (
            <div>
              <dt safe>{f.label}</dt>
              <dd safe>{f.value}</dd>
            </div>
          ))}
        </dl>
      )
  }
}

/** A role's own fields, each shown as what it is: tables, SQL, ordered steps, swatches, the diagram. */
export function RoleBlocks(props: RoleBlocksProps): JSX.Element {
  const level = props.level ?? 3
  return (
    <div class="doc-blocks">
      {props.blocks.map((b) => {
        const headingId = `${props.id}-${b.key.replace(/[^A-Za-z0-9_-]/g, '-')}`
        return (
          <section class="doc-block" aria-labelledby={headingId}>
            {level === 3 ? (
              <h3 id={headingId} class="doc-block-title" safe>
                {b.title}
              </h3>
            ) : (
              <h4 id={headingId} class="doc-block-title" safe>
                {b.title}
              </h4>
            )}
            <BlockBody block={b} id={props.id} />
          </section>
        )
      })}
    </div>
  )
}
