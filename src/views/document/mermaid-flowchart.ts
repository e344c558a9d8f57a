/** A subset of Mermaid's `flowchart`/`graph` syntax, parsed to data: nodes with their shapes and (labelled) edges. */

/** The node shapes the parser knows; anything else makes the source unparseable. */
export type FlowShape =
  | 'rect'
  | 'round'
  | 'stadium'
  | 'subroutine'
  | 'cylinder'
  | 'circle'
  | 'diamond'
  | 'hexagon'
  | 'parallelogram'
  | 'asymmetric'

/** One node. `label` is the model's text, unescaped: whoever renders it escapes it. */
export interface FlowNode {
  id: string
  label: string
  shape: FlowShape
}

/** One edge, in source order. */
export interface FlowEdge {
  from: string
  to: string
  label: string | null
  line: 'solid' | 'dotted' | 'thick'
  arrow: boolean
}

/** A parsed flowchart. */
export interface Flowchart {
  direction: 'LR' | 'RL' | 'TB' | 'BT'
  nodes: FlowNode[]
  edges: FlowEdge[]
}

const MAX_NODES = 150
const MAX_EDGES = 300

// Longest openers first: `([` before `(`, `[[` before `[`.
const SHAPES: [open: string, close: string, shape: FlowShape][] = [
  ['([', '])', 'stadium'],
  ['[[', ']]', 'subroutine'],
  ['[(', ')]', 'cylinder'],
  ['((', '))', 'circle'],
  ['{{', '}}', 'hexagon'],
  ['[/', '/]', 'parallelogram'],
  ['[\\', '\\]', 'parallelogram'],
  ['[', ']', 'rect'],
  ['(', ')', 'round'],
  ['{', '}', 'diamond'],
  ['>', ']', 'asymmetric'],
]

// Statements that only style or group: skipped (a `click` would be a script or a link: never followed).
const IGNORED = /^(%%|classDef\b|class\b|style\b|linkStyle\b|click\b|subgraph\b|end\b|direction\b)/

const EDGE = /^\s*(<?)(-{2,}>|-{3,}|-\.+->|-\.+-|={2,}>|={3,})\s*(?:\|([^|]*)\|)?\s*/
const TEXT_EDGE = /^\s*(?:--\s+(.+?)\s+(-{2,}>|-{3,})|-\.\s+(.+?)\s+(\.+->|\.+-)|==\s+(.+?)\s+(={2,}>|={3,}))\s*/

function unquote(text: string): string {
  const t = text.trim()
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t
}

/** Reads a node at `pos`: its id and, when given, its shape and label. Null when there is none. */
function readNode(s: string, pos: number): { id: string; label: string | null; shape: FlowShape | null; end: number } | null {
  const m = /^\s*([A-Za-z0-9_][A-Za-z0-9_.]*)/.exec(s.slice(pos))
  if (!m?.[1]) return null
  let i = pos + m[0].length
  const id = m[1]
  for (const [open, close, shape] of SHAPES) {
    if (!s.startsWith(open, i)) continue
    let j = i + open.length
    // A quoted label may hold the closing characters.
    if (s[j] === '"') {
      const q = s.indexOf('"', j + 1)
      if (q === -1) return null
      j = q + 1
    }
    const end = s.indexOf(close, j)
    if (end === -1) return null
    const label = unquote(s.slice(i + open.length, end))
    i = end + close.length
    const cls = /^:::[A-Za-z0-9_-]+/.exec(s.slice(i))
    if (cls) i += cls[0].length
    return { id, label, shape, end: i }
  }
  const cls = /^:::[A-Za-z0-9_-]+/.exec(s.slice(i))
  if (cls) i += cls[0].length
  return { id, label: null, shape: null, end: i }
}

function readEdge(s: string, pos: number): { label: string | null; line: FlowEdge['line']; arrow: boolean; end: number } | null {
  const rest = s.slice(pos)
  const m = EDGE.exec(rest)
  if (m?.[2]) {
    const op = m[2]
    const line = op.includes('.') ? 'dotted' : op.startsWith('=') ? 'thick' : 'solid'
    const label = m[3] !== undefined ? unquote(m[3]) || null : null
    return { label, line, arrow: op.endsWith('>'), end: pos + m[0].length }
  }
  const t = TEXT_EDGE.exec(rest)
  if (t) {
    const [, solidText, solidOp, dotText, dotOp, thickText, thickOp] = t
    const text = solidText ?? dotText ?? thickText ?? ''
    const op = solidOp ?? dotOp ?? thickOp ?? ''
    const line = dotOp ? 'dotted' : thickOp ? 'thick' : 'solid'
    return { label: unquote(text) || null, line, arrow: op.endsWith('>'), end: pos + t[0].length }
  }
  return null
}

/**
 * The flowchart of a Mermaid `flowchart`/`graph` source; null for any other diagram type or for a
 * statement it cannot read whole (the caller then shows the source as it is). Never throws.
 */
export function parseFlowchart(source: string): Flowchart | null {
  const lines = source.replace(/\r\n?/g, '\n').split('\n')
  let headerAt = 0
  while (headerAt < lines.length && (lines[headerAt]?.trim() === '' || lines[headerAt]?.trim().startsWith('%%'))) headerAt++
  const header = /^\s*(?:flowchart|graph)(?:\s+(LR|RL|TB|TD|BT))?\s*;?\s*$/.exec(lines[headerAt] ?? '')
  if (!header) return null
  const dir = header[1] === 'TD' || !header[1] ? 'TB' : (header[1] as Flowchart['direction'])
  const nodes = new Map<string, FlowNode>()
  const edges: FlowEdge[] = []
  const touch = (n: { id: string; label: string | null; shape: FlowShape | null }): void => {
    const known = nodes.get(n.id)
    if (!known) nodes.set(n.id, { id: n.id, label: n.label ?? n.id, shape: n.shape ?? 'rect' })
    else if (n.shape) nodes.set(n.id, { id: n.id, label: n.label ?? known.label, shape: n.shape })
  }
  for (const raw of lines.slice(headerAt + 1)) {
    for (const part of raw.split(';')) {
      const stmt = part.trim()
      if (stmt === '' || IGNORED.test(stmt)) continue
      let node = readNode(stmt, 0)
      if (!node) return null
      touch(node)
      let pos = node.end
      while (pos < stmt.length && stmt.slice(pos).trim() !== '') {
        const edge = readEdge(stmt, pos)
        if (!edge) return null
        const next = readNode(stmt, edge.end)
        if (!next) return null
        touch(next)
        edges.push({ from: node.id, to: next.id, label: edge.label, line: edge.line, arrow: edge.arrow })
        node = next
        pos = next.end
      }
      if (nodes.size > MAX_NODES || edges.length > MAX_EDGES) return null
    }
  }
  if (nodes.size === 0) return null
  return { direction: dir, nodes: [...nodes.values()], edges }
}
