import dagre from '@dagrejs/dagre'
import type { FlowEdge, FlowNode, Flowchart } from './mermaid-flowchart.ts'

const CHAR_WIDTH = 7.2
const LINE_HEIGHT = 16
const WRAP_AT = 24
const PAD_X = 14
const PAD_Y = 9

const esc = (text: string): string => Bun.escapeHTML(text)
const n = (v: number): string => (Math.round(v * 10) / 10).toString()

/** Splits a label into lines of at most WRAP_AT characters, at spaces where it can. */
function wrap(label: string): string[] {
  const words = label.replace(/<br\s*\/?>/gi, ' ').split(/\s+/).filter(Boolean)
  const lines: string[] = []
  let line = ''
  for (const word of words) {
    for (let w = word; w.length > 0; w = w.slice(WRAP_AT)) {
      const piece = w.slice(0, WRAP_AT)
      if (line === '') line = piece
      else if (line.length + 1 + piece.length <= WRAP_AT) line += ` ${piece}`
      else {
        lines.push(line)
        line = piece
      }
    }
  }
  if (line) lines.push(line)
  return lines.length ? lines : ['']
}

function textBox(lines: string[]): { width: number; height: number } {
  const longest = Math.max(...lines.map((l) => l.length))
  return { width: longest * CHAR_WIDTH + 2 * PAD_X, height: lines.length * LINE_HEIGHT + 2 * PAD_Y }
}

function nodeSize(node: FlowNode, lines: string[]): { width: number; height: number } {
  const box = textBox(lines)
  if (node.shape === 'circle') {
    const d = Math.max(box.width, box.height)
    return { width: d, height: d }
  }
  if (node.shape === 'diamond') return { width: box.width * 1.4, height: box.height * 1.6 }
  if (node.shape === 'hexagon' || node.shape === 'parallelogram' || node.shape === 'asymmetric') return { width: box.width + 24, height: box.height }
  if (node.shape === 'cylinder') return { width: box.width, height: box.height + 12 }
  return box
}

const FILL = 'fill="#f8fafc" stroke="#334155" stroke-width="1.5"'

function shapeSvg(shape: FlowNode['shape'], x: number, y: number, w: number, h: number): string {
  const l = x - w / 2
  const t = y - h / 2
  switch (shape) {
    case 'round':
      return `<rect x="${n(l)}" y="${n(t)}" width="${n(w)}" height="${n(h)}" rx="10" ${FILL}/>`
    case 'stadium':
      return `<rect x="${n(l)}" y="${n(t)}" width="${n(w)}" height="${n(h)}" rx="${n(h / 2)}" ${FILL}/>`
    case 'circle':
      return `<circle cx="${n(x)}" cy="${n(y)}" r="${n(w / 2)}" ${FILL}/>`
    case 'diamond':
      return `<polygon points="${n(x)},${n(t)} ${n(l + w)},${n(y)} ${n(x)},${n(t + h)} ${n(l)},${n(y)}" ${FILL}/>`
    case 'hexagon':
      return `<polygon points="${n(l + 12)},${n(t)} ${n(l + w - 12)},${n(t)} ${n(l + w)},${n(y)} ${n(l + w - 12)},${n(t + h)} ${n(l + 12)},${n(t + h)} ${n(l)},${n(y)}" ${FILL}/>`
    case 'parallelogram':
      return `<polygon points="${n(l + 12)},${n(t)} ${n(l + w)},${n(t)} ${n(l + w - 12)},${n(t + h)} ${n(l)},${n(t + h)}" ${FILL}/>`
    case 'asymmetric':
      return `<polygon points="${n(l)},${n(t)} ${n(l + w)},${n(t)} ${n(l + w)},${n(t + h)} ${n(l)},${n(t + h)} ${n(l + 12)},${n(y)}" ${FILL}/>`
    case 'subroutine':
      return `<rect x="${n(l)}" y="${n(t)}" width="${n(w)}" height="${n(h)}" ${FILL}/><path d="M${n(l + 8)},${n(t)} V${n(t + h)} M${n(l + w - 8)},${n(t)} V${n(t + h)}" fill="none" stroke="#334155" stroke-width="1.5"/>`
    case 'cylinder': {
      const ry = 6
      return `<path d="M${n(l)},${n(t + ry)} A${n(w / 2)},${ry} 0 0 1 ${n(l + w)},${n(t + ry)} V${n(t + h - ry)} A${n(w / 2)},${ry} 0 0 1 ${n(l)},${n(t + h - ry)} Z" ${FILL}/><path d="M${n(l)},${n(t + ry)} A${n(w / 2)},${ry} 0 0 0 ${n(l + w)},${n(t + ry)}" fill="none" stroke="#334155" stroke-width="1.5"/>`
    }
    default:
      return `<rect x="${n(l)}" y="${n(t)}" width="${n(w)}" height="${n(h)}" rx="3" ${FILL}/>`
  }
}

function textSvg(lines: string[], x: number, y: number, cls: string): string {
  const top = y - ((lines.length - 1) * LINE_HEIGHT) / 2
  const spans = lines.map((line, i) => `<tspan x="${n(x)}" y="${n(top + i * LINE_HEIGHT)}">${esc(line)}</tspan>`).join('')
  return `<text class="${cls}" text-anchor="middle" dominant-baseline="central" font-size="13" fill="#0f172a">${spans}</text>`
}

function edgeDash(edge: FlowEdge): string {
  if (edge.line === 'dotted') return ' stroke-dasharray="4 4"'
  return ''
}

/**
 * The flowchart drawn as an SVG string, laid out by dagre. Every label is escaped; the SVG holds no
 * script, link or event attribute. `idPrefix` keeps the arrow marker's id unique on the page.
 */
export function flowchartSvg(chart: Flowchart, options: { idPrefix: string; title: string }): string {
  const g = new dagre.graphlib.Graph({ multigraph: true })
  g.setGraph({ rankdir: chart.direction, nodesep: 36, ranksep: 48, edgesep: 16, marginx: 8, marginy: 8 })
  g.setDefaultEdgeLabel(() => ({}))
  const lines = new Map(chart.nodes.map((node) => [node.id, wrap(node.label)]))
  for (const node of chart.nodes) g.setNode(node.id, nodeSize(node, lines.get(node.id) ?? ['']))
  const edgeLines = chart.edges.map((e) => (e.label ? wrap(e.label) : null))
  chart.edges.forEach((edge, i) => {
    const label = edgeLines[i]
    const box = label ? textBox(label) : { width: 0, height: 0 }
    g.setEdge(edge.from, edge.to, { width: label ? box.width - PAD_X : 0, height: label ? box.height - PAD_Y : 0, labelpos: 'c' }, `e${i}`)
  })
  dagre.layout(g)
  const graph = g.graph()
  const width = Math.ceil(graph.width ?? 0)
  const height = Math.ceil(graph.height ?? 0)
  const marker = `${options.idPrefix}-arrow`
  const parts: string[] = []
  chart.edges.forEach((edge, i) => {
    const laid = g.edge({ v: edge.from, w: edge.to, name: `e${i}` })
    const points = laid?.points ?? []
    if (points.length === 0) return
    const d = points.map((p: { x: number; y: number }, j: number) => `${j === 0 ? 'M' : 'L'}${n(p.x)},${n(p.y)}`).join(' ')
    const strokeWidth = edge.line === 'thick' ? 3 : 1.5
    parts.push(
      `<path class="flow-edge" d="${d}" fill="none" stroke="#475569" stroke-width="${strokeWidth}"${edgeDash(edge)}${edge.arrow ? ` marker-end="url(#${marker})"` : ''}/>`,
    )
    const label = edgeLines[i]
    if (label && laid && typeof laid.x === 'number' && typeof laid.y === 'number') {
      const box = textBox(label)
      const w = box.width - PAD_X
      const h = box.height - PAD_Y
      parts.push(`<rect x="${n(laid.x - w / 2)}" y="${n(laid.y - h / 2)}" width="${n(w)}" height="${n(h)}" fill="#ffffff" opacity="0.9"/>`)
      parts.push(textSvg(label, laid.x, laid.y, 'flow-edge-label'))
    }
  })
  for (const node of chart.nodes) {
    const laid = g.node(node.id)
    if (!laid) continue
    parts.push(`<g class="flow-node">${shapeSvg(node.shape, laid.x, laid.y, laid.width, laid.height)}${textSvg(lines.get(node.id) ?? [''], laid.x, laid.y, 'flow-node-label')}</g>`)
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" role="img" aria-labelledby="${options.idPrefix}-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="ui-sans-serif, system-ui, sans-serif">`,
    `<title id="${options.idPrefix}-title">${esc(options.title)}</title>`,
    `<defs><marker id="${marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475569"/></marker></defs>`,
    ...parts,
    '</svg>',
  ].join('')
}
