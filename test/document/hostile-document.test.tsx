import { describe, expect, it } from 'bun:test'
import { Marked } from 'marked'
import { AGENT_ROLES } from '../../src/agents/index.ts'
import { planView } from '../../src/http/index.ts'
import { type DesignDocumentData, DesignDocumentPage, designDocumentMarkdown, flowchartSvg, parseFlowchart } from '../../src/views/index.ts'
import type { TaskView } from '../../src/views/view-types.ts'
import { findActiveContent } from '../views/inert-html.ts'
import { simulatedOutput } from './completed-session.ts'

const MARK = 'pwn3d'
// Script tags, an attribute break-out, Markdown and HTML links to javascript:, a reference link, an autolink.
const ATTACK = `${MARK}<script>alert(1)</script>"><img src=x onerror=alert(1)> [click](javascript:alert(1)) <a href="javascript:alert(1)">x</a> <javascript:alert(1)> ![i](javascript:alert(1))\n[ref]: javascript:alert(1)\n# heading ${MARK} | cell |`
// A flowchart label can hold no `]`, `|` or `"`: the same attacks, within the label's syntax.
const LABEL = `${MARK}<script>alert(1)</script> <img src=x onerror=alert(1)> <svg onload=alert(1)>`
const DIAGRAM = `flowchart LR\n  A[${LABEL}] -->|${LABEL}| B((${LABEL}))\n  B -.-> C{${LABEL}}\n  click A "javascript:alert(1)"\n  click B call alert(1)\n  %%{init: {"securityLevel": "loose"}}%%`

/** `v` with every string replaced by the attack (numbers and booleans kept, so the shapes still read). */
function hostile(v: unknown): unknown {
  if (typeof v === 'string') return ATTACK
  if (Array.isArray(v)) return v.map(hostile)
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hostile(x)]))
  return v
}

function dataset(diagram: string): DesignDocumentData {
  const tasks: TaskView[] = AGENT_ROLES.map((role, i) => {
    const output: Record<string, unknown> = { ...(hostile(simulatedOutput(role, "Checkout", "")) as Record<string, unknown>), [ATTACK]: ATTACK, extra: { [ATTACK]: [ATTACK, { x: ATTACK }] } }
    if (role === 'software_architect') output.component_diagram = diagram
    return {
      id: i + 1, session_id: 1, agent_role: role, task_description: ATTACK, input_data: { feature: ATTACK }, output_data: output,
      status: 'completed', started_at: '2026-01-01T00:00:00.000Z', completed_at: '2026-01-01T00:00:09.000Z', duration_seconds: 9,
      error_message: null, retry_count: 0, model: ATTACK, input_tokens: 10, output_tokens: 5, cost_usd: 0.01, created_at: '2026-01-01T00:00:00.000Z',
      decisions: [{ id: i + 1, agent_task_id: i + 1, decision_text: ATTACK, rationale: ATTACK, category: ATTACK, created_at: '2026-01-01T00:00:09.000Z' }],
    }
  })
  tasks.push({ ...(tasks[0] as TaskView), id: 99, agent_role: ATTACK, status: 'failed', error_message: ATTACK, output_data: null })
  return {
    session: {
      id: 1, team_id: 1, user_id: 1, feature_name: ATTACK, description: ATTACK, plan: 'dag', status: 'completed', started_at: '2026-01-01T00:00:00.000Z',
      ended_at: '2026-01-01T00:01:00.000Z', duration_seconds: 60, created_at: '2026-01-01T00:00:00.000Z', input_tokens: 70, output_tokens: 35, cost_usd: 0.07,
    },
    team: { id: 1, name: ATTACK },
    started_by: ATTACK,
    plan: planView('dag', tasks.map((t) => t.agent_role)),
    tasks,
    decisions: [
      { id: 1, session_id: 1, decision_text: ATTACK, rationale: ATTACK, category: ATTACK, confidence: ATTACK, source: 'agent', agent_role: ATTACK, task_id: 1, author: null, created_at: '2026-01-01T00:00:09.000Z' },
      { id: 1, session_id: 1, decision_text: ATTACK, rationale: null, category: ATTACK, confidence: 'high', source: 'user', agent_role: null, task_id: null, author: ATTACK, created_at: '2026-01-01T00:00:10.000Z' },
    ],
  }
}

const ctx = { user: { id: 1, username: ATTACK, email: 'a@example.com', created_at: '2026-01-01T00:00:00.000Z' }, csrf_token: 'tok', path: '/sessions/1/document' }

describe('hostile model text in the design document', () => {
  it('stays inert in the page, in every field of every role (diagram drawn)', async () => {
    const html = await (<DesignDocumentPage ctx={ctx} doc={dataset(DIAGRAM)} />)
    expect(await findActiveContent(html, MARK)).toEqual([])
    expect(html).toContain('class="flowchart"')
    expect(html).toContain('&lt;script&gt;')
  })

  it('stays inert in the page when the diagram falls back to its source', async () => {
    const html = await (<DesignDocumentPage ctx={ctx} doc={dataset(`flowchart LR\n ${ATTACK}`)} />)
    expect(await findActiveContent(html, MARK)).toEqual([])
    expect(html).not.toContain('class="flowchart"')
    expect(html).toContain('Mermaid source (not a flowchart this page can draw)')
  })

  it('stays inert in the SVG: labels escaped, no script, link or handler, click statements ignored', async () => {
    const chart = parseFlowchart(DIAGRAM)
    expect(chart?.nodes.map((n) => n.label)).toEqual([LABEL, LABEL, LABEL])
    const svg = flowchartSvg(chart ?? { direction: 'LR', nodes: [], edges: [] }, { idPrefix: 'x', title: ATTACK })
    expect(await findActiveContent(svg, MARK)).toEqual([])
    expect(svg).not.toMatch(/<(script|a|foreignObject|image|use)\b/i)
    expect(svg).not.toContain('<script')
    expect(svg).toContain('&lt;script&gt;alert(1)')
  })

  it('stays inert in the Markdown export once a plain Markdown renderer turns it into HTML', async () => {
    const md = designDocumentMarkdown(dataset(DIAGRAM))
    const html = new Marked({ gfm: true }).parse(md) as string
    expect(await findActiveContent(html, MARK)).toEqual([])
    expect(html).not.toMatch(/href="\s*javascript:/i)
    // Model headings cannot add sections of their own: only the document's h1 and h2s.
    const lexed = new Marked({ gfm: true }).lexer(md)
    const tops = lexed.filter((t) => t.type === 'heading' && t.depth <= 2)
    // h1, summary, the roles (8 here), decision log, open concerns, consistency findings, tokens and cost.
    expect(tops.length).toBe(1 + 1 + 8 + 4)
    // The mermaid block keeps the diagram but not what would act when a code host draws it.
    const mermaid = lexed.find((t) => t.type === 'code' && t.lang === 'mermaid')
    expect(mermaid && 'text' in mermaid ? mermaid.text : '').not.toMatch(/click|%%\{/)
  })

  it('is deterministic: the same data gives the same Markdown bytes', () => {
    expect(designDocumentMarkdown(dataset(DIAGRAM))).toBe(designDocumentMarkdown(dataset(DIAGRAM)))
  })
})
