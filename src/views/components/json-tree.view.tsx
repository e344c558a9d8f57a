import { humanize } from '../format.ts'

/** Props of {@link JsonTree}. */
export interface JsonTreeProps {
  value: unknown
  /** Objects and arrays nested deeper than this start collapsed. */
  openDepth?: number
}

const MAX_DEPTH = 12

/** Any JSON value as a readable, escaped tree: objects as definition lists, arrays as lists, long branches collapsible. */
export function JsonTree(props: JsonTreeProps): JSX.Element {
  return <div class="json-tree">{renderValue(props.value, 0, props.openDepth ?? 2)}</div>
}

function renderValue(value: unknown, depth: number, openDepth: number): JSX.Element {
  if (value === null || value === undefined) return <span class="json-null">none</span>
  if (typeof value === 'string') return <span class="json-string" safe>{value}</span>
  if (typeof value === 'number' || typeof value === 'boolean') {
    return <span class="json-scalar" safe>{String(value)}</span>
  }
  if (depth >= MAX_DEPTH) return <span class="json-null">…</span>
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="json-null">empty list</span>
    const list = (
      <ol class="json-list">
        {value.map((item) => (
          <li>{renderValue(item, depth + 1, openDepth)}</li>
        ))}
      </ol>
    )
    return depth >= openDepth ? collapsible(value.length === 1 ? '1 item' : `${value.length} items`, list) : list
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
    if (entries.length === 0) return <span class="json-null">empty</span>
    const dl = (
      <dl class="json-object">
        {entries.map(([k, v]) => (
          <div class="json-entry">
            <dt safe>{humanize(k)}</dt>
            <dd>{renderValue(v, depth + 1, openDepth)}</dd>
          </div>
        ))}
      </dl>
    )
    return depth >= openDepth ? collapsible(entries.length === 1 ? '1 field' : `${entries.length} fields`, dl) : dl
  }
  return <span class="json-scalar" safe>{String(value)}</span>
}

function collapsible(summary: string, body: JSX.Element): JSX.Element {
  return (
    <details class="json-details">
      <summary safe>{summary}</summary>
      {body}
    </details>
  )
}
