import { describe, expect, it } from 'bun:test'
import { flowchartSvg } from './flowchart-svg.ts'
import { parseFlowchart } from './mermaid-flowchart.ts'

describe('parseFlowchart', () => {
  it('reads nodes with their shapes, labelled edges of every line kind, chains, quoted labels and comments', () => {
    const chart = parseFlowchart(
      [
        '%% the API',
        'flowchart TD',
        '  UI[Web UI] -->|HTML over HTTP| API(HTTP routes)',
        '  API --> DB[(PostgreSQL)] --> R([Replica])',
        '  API -- publishes --> BUS[[Event stream]]',
        '  BUS -.-> W{{Worker}}; W ==> D{"Done? [yes]"}',
        '  C((Cache)):::hot --- API',
        '  style UI fill:#f9f',
        '  click UI "javascript:alert(1)"',
      ].join('\n'),
    )
    expect(chart?.direction).toBe('TB')
    expect(chart?.nodes.map((n) => [n.id, n.label, n.shape])).toEqual([
      ['UI', 'Web UI', 'rect'],
      ['API', 'HTTP routes', 'round'],
      ['DB', 'PostgreSQL', 'cylinder'],
      ['R', 'Replica', 'stadium'],
      ['BUS', 'Event stream', 'subroutine'],
      ['W', 'Worker', 'hexagon'],
      ['D', 'Done? [yes]', 'diamond'],
      ['C', 'Cache', 'circle'],
    ])
    expect(chart?.edges.map((e) => `${e.from}>${e.to}:${e.label ?? ''}:${e.line}:${e.arrow}`)).toEqual([
      'UI>API:HTML over HTTP:solid:true',
      'API>DB::solid:true',
      'DB>R::solid:true',
      'API>BUS:publishes:solid:true',
      'BUS>W::dotted:true',
      'W>D::thick:true',
      'C>API::solid:false',
    ])
  })

  it('returns null for other diagram types and for statements it cannot read whole', () => {
    expect(parseFlowchart('sequenceDiagram\n  A->>B: hi')).toBeNull()
    expect(parseFlowchart('graph LR\n  A --> B & C')).toBeNull()
    expect(parseFlowchart('graph LR\n  A[unclosed --> B')).toBeNull()
    expect(parseFlowchart('graph LR')).toBeNull()
  })
})

describe('flowchartSvg', () => {
  it('lays out every node and edge, and is the same string for the same chart', () => {
    const chart = parseFlowchart('flowchart LR\n  A[One] -->|to| B[Two]\n  B --> C[(Three)]')
    if (!chart) throw new Error('unparsed')
    const svg = flowchartSvg(chart, { idPrefix: 'd', title: 'Components' })
    expect(svg.match(/class="flow-node"/g)).toHaveLength(3)
    expect(svg.match(/class="flow-edge"/g)).toHaveLength(2)
    expect(svg).toContain('marker-end="url(#d-arrow)"')
    expect(svg).toContain('<title id="d-title">Components</title>')
    expect(flowchartSvg(chart, { idPrefix: 'd', title: 'Components' })).toBe(svg)
  })
})
