import { flowchartSvg } from './flowchart-svg.ts'
import { parseFlowchart } from './mermaid-flowchart.ts'

/** Props of {@link FlowDiagram}. */
export interface FlowDiagramProps {
  /** The model's Mermaid source. */
  source: string
  /** Unique on the page: prefixes the SVG's ids. */
  id: string
  title: string
}

/**
 * A Mermaid flowchart drawn as SVG on the server (no script in the browser); any other diagram or a
 * source it cannot read is shown as the source itself, in a code block.
 */
export function FlowDiagram(props: FlowDiagramProps): JSX.Element {
  const chart = parseFlowchart(props.source)
  if (!chart) {
    return (
      <figure class="doc-diagram doc-diagram-source">
        <pre class="doc-code">
          <code safe>{props.source}</code>
        </pre>
        <figcaption>Mermaid source (not a flowchart this page can draw).</figcaption>
      </figure>
    )
  }
  // flowchartSvg escapes every label itself and writes no script, link or handler.
  const safeSvg = flowchartSvg(chart, { idPrefix: props.id, title: props.title })
  return (
    <figure class="doc-diagram">
      <div class="doc-diagram-canvas">{safeSvg}</div>
      <details class="doc-diagram-details">
        <summary>Mermaid source</summary>
        <pre class="doc-code">
          <code safe>{props.source}</code>
        </pre>
      </details>
    </figure>
  )
}
