/**
 * A role's own output fields read as what they are (tables, SQL, ordered steps, swatches, the
 * diagram), as data both the page and the Markdown export render. Models write the output, so
 * every reader is defensive: a field whose shape does not match is shown by its generic kind.
 */

/** One table cell: plain text, or code (paths, SQL names, types). */
export interface Cell {
  text: string
  code?: boolean
}

/** A piece of code with its language (`sql`, `typescript`, `json`…). */
export interface CodeItem {
  caption: string | null
  language: string
  code: string
}

/** One field of a role's output, shaped for reading. */
export type RoleBlock =
  | { kind: 'markdown'; key: string; title: string; text: string }
  | { kind: 'list'; key: string; title: string; ordered: boolean; items: string[] }
  | { kind: 'table'; key: string; title: string; columns: string[]; rows: Cell[][] }
  | { kind: 'code'; key: string; title: string; items: CodeItem[] }
  | { kind: 'diagram'; key: string; title: string; source: string }
  | { kind: 'swatches'; key: string; title: string; tokens: { name: string; value: string; usage: string }[] }
  | { kind: 'steps'; key: string; title: string; groups: { name: string; steps: string[] }[] }
  | { kind: 'models'; key: string; title: string; models: { name: string; fields: { name: string; type: string }[] }[] }
  | { kind: 'facts'; key: string; title: string; facts: { label: string; value: string }[] }

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Any value as one line of text: strings as they are, numbers and booleans spelled, the rest as JSON. */
export function textOf(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (v === null || v === undefined) return ''
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.join(', ')
  return JSON.stringify(v)
}

function strings(v: unknown): string[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number') ? v.map(String) : null
}

function objects(v: unknown): Obj[] | null {
  return Array.isArray(v) && v.every(isObj) ? (v as Obj[]) : null
}

/** `snake_case` → `Snake case`. */
export function fieldTitle(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function table(key: string, title: string, v: unknown, columns: [field: string, heading: string, code?: boolean][]): RoleBlock | null {
  const rows = objects(v)
  if (!rows) return null
  return {
    kind: 'table',
    key,
    title,
    columns: columns.map(([, h]) => h),
    rows: rows.map((r) => columns.map(([f, , code]) => ({ text: textOf(r[f]), ...(code ? { code: true } : {}) }))),
  }
}

function list(key: string, title: string, v: unknown, ordered: boolean): RoleBlock | null {
  const items = strings(v)
  return items ? { kind: 'list', key, title, ordered, items } : null
}

/** A SQL identifier list as written by the model, for the generated `CREATE INDEX` line. */
function indexSql(r: Obj): CodeItem {
  const cols = strings(r.columns) ?? [textOf(r.columns)]
  const reason = textOf(r.reason).replace(/\s+/g, ' ').trim()
  const code = `${reason ? `-- ${reason}\n` : ''}CREATE INDEX ${textOf(r.name)} ON ${textOf(r.table)} (${cols.join(', ')});`
  return { caption: textOf(r.name) || null, language: 'sql', code }
}

/** How each known field of the seven roles reads; null when the value does not have that shape. */
const READERS: Record<string, (key: string, v: unknown) => RoleBlock | null> = {
  // Software Architect
  patterns: (k, v) => list(k, 'Patterns', v, false),
  component_diagram: (k, v) => (typeof v === 'string' ? { kind: 'diagram', key: k, title: 'Component diagram', source: v } : null),
  tech_stack: (k, v) => table(k, 'Technology stack', v, [['layer', 'Layer'], ['technology', 'Technology'], ['rationale', 'Why']]),
  integration_points: (k, v) =>
    table(k, 'Integration points', v, [['name', 'Name', true], ['protocol', 'Protocol'], ['description', 'Description']]),
  // Backend Developer
  endpoints: (k, v) => {
    const rows = objects(v)
    if (!rows) return null
    return {
      kind: 'table',
      key: k,
      title: 'Endpoints',
      columns: ['Method', 'Path', 'Purpose', 'Status codes'],
      rows: rows.map((r) => [
        { text: textOf(r.method), code: true },
        { text: textOf(r.path), code: true },
        { text: textOf(r.purpose ?? r.description) },
        { text: (strings(r.status_codes) ?? []).join(', ') || textOf(r.status_codes) },
      ]),
    }
  },
  data_models: (k, v) => {
    const rows = objects(v)
    if (!rows) return null
    const models = rows.map((r) => ({
      name: textOf(r.name),
      fields: (objects(r.fields) ?? []).map((f) => ({ name: textOf(f.name), type: textOf(f.type) })),
    }))
    return { kind: 'models', key: k, title: 'Data models', models }
  },
  code_snippets: (k, v) => {
    const rows = objects(v)
    if (!rows) return null
    const items = rows.map((r) => ({ caption: textOf(r.title) || null, language: textOf(r.language) || 'text', code: textOf(r.code) }))
    return { kind: 'code', key: k, title: 'Code', items }
  },
  performance_notes: (k, v) => list(k, 'Performance notes', v, false),
  // Database Administrator
  schema_changes: (k, v) => {
    const rows = objects(v)
    if (!rows) return null
    const items = rows.map((r) => ({ caption: [textOf(r.table), textOf(r.description)].filter(Boolean).join(': ') || null, language: 'sql', code: textOf(r.sql) }))
    return { kind: 'code', key: k, title: 'Schema changes', items }
  },
  indexes: (k, v) => {
    const rows = objects(v)
    return rows ? { kind: 'code', key: k, title: 'Indexes', items: rows.map(indexSql) } : null
  },
  queries: (k, v) => {
    const rows = objects(v)
    if (!rows) return null
    return { kind: 'code', key: k, title: 'Queries', items: rows.map((r) => ({ caption: textOf(r.purpose) || null, language: 'sql', code: textOf(r.sql) })) }
  },
  migration_steps: (k, v) => list(k, 'Migration steps', v, true),
  // Frontend Developer
  components: (k, v) => {
    const rows = objects(v)
    if (!rows) return null
    return {
      kind: 'table',
      key: k,
      title: 'Components',
      columns: ['Component', 'Responsibility', 'Props'],
      rows: rows.map((r) => [{ text: textOf(r.name), code: true }, { text: textOf(r.responsibility) }, { text: (strings(r.props) ?? []).join(', '), code: true }]),
    }
  },
  state_management: (k, v) => {
    if (!isObj(v)) return null
    const facts = [{ label: 'Approach', value: textOf(v.approach) }]
    const shared = strings(v.shared_state)
    if (shared?.length) facts.push({ label: 'Shared state', value: shared.join(', ') })
    return { kind: 'facts', key: k, title: 'State management', facts }
  },
  accessibility_notes: (k, v) => list(k, 'Accessibility notes', v, false),
  api_calls: (k, v) => table(k, 'API calls', v, [['method', 'Method', true], ['path', 'Path', true], ['purpose', 'Purpose']]),
  // Backend Developer and IT Administrator: the security specialist's vulnerabilities they take up, by id
  mitigates: (k, v) => table(k, 'Takes up', v, [['vulnerability_id', 'Vulnerability', true], ['measure', 'Measure']]),
  // UI/UX Designer
  user_flows: (k, v) => {
    const rows = objects(v)
    if (!rows) return null
    const nameOf = (r: Obj): string => {
      const screens = strings(r.screens)
      return screens?.length ? `${textOf(r.name)} (screens: ${screens.join(' → ')})` : textOf(r.name)
    }
    return { kind: 'steps', key: k, title: 'User flows', groups: rows.map((r) => ({ name: nameOf(r), steps: strings(r.steps) ?? [textOf(r.steps)] })) }
  },
  wireframe_description: (k, v) => (typeof v === 'string' ? { kind: 'markdown', key: k, title: 'Wireframe', text: v } : null),
  design_tokens: (k, v) => {
    const rows = objects(v)
    if (!rows) return null
    return { kind: 'swatches', key: k, title: 'Design tokens', tokens: rows.map((r) => ({ name: textOf(r.name), value: textOf(r.value), usage: textOf(r.usage) })) }
  },
  accessibility_score: (k, v) =>
    typeof v === 'number' ? { kind: 'facts', key: k, title: 'Accessibility', facts: [{ label: 'Accessibility score', value: `${v} / 100` }] } : null,
  // Security Specialist
  risk_level: (k, v) => (typeof v === 'string' ? { kind: 'facts', key: k, title: 'Risk', facts: [{ label: 'Overall risk', value: v }] } : null),
  vulnerabilities: (k, v) => {
    const rows = objects(v)
    if (!rows) return null
    return {
      kind: 'table',
      key: k,
      title: 'Vulnerabilities',
      columns: ['Vulnerability', 'Severity', 'Risk', 'Mitigation'],
      rows: rows.map((r) => [{ text: [textOf(r.id), textOf(r.title)].filter(Boolean).join(' ') }, { text: textOf(r.severity) }, { text: textOf(r.description) }, { text: textOf(r.mitigation) }]),
    }
  },
  mitigations: (k, v) => list(k, 'Mitigations', v, false),
  compliance_notes: (k, v) => list(k, 'Compliance notes', v, false),
  // IT Administrator
  infrastructure: (k, v) => table(k, 'Infrastructure', v, [['component', 'Component'], ['purpose', 'Purpose'], ['sizing', 'Sizing']]),
  deployment_steps: (k, v) => list(k, 'Deployment steps', v, true),
  monitoring: (k, v) => table(k, 'Monitoring', v, [['metric', 'Metric', true], ['threshold', 'Threshold'], ['action', 'Action']]),
  scaling_notes: (k, v) => list(k, 'Scaling notes', v, false),
}

/** A field no reader knows, by its generic kind: text, a list, a table of flat objects, facts, or JSON. */
function genericBlock(key: string, v: unknown): RoleBlock {
  const title = fieldTitle(key)
  if (typeof v === 'string') return { kind: 'list', key, title, ordered: false, items: [v] }
  if (typeof v === 'number' || typeof v === 'boolean') return { kind: 'facts', key, title, facts: [{ label: title, value: String(v) }] }
  const items = strings(v)
  if (items) return { kind: 'list', key, title, ordered: false, items }
  const rows = objects(v)
  if (rows && rows.length > 0 && rows.every((r) => Object.values(r).every((x) => !isObj(x) && !(Array.isArray(x) && !strings(x))))) {
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
    return { kind: 'table', key, title, columns: columns.map(fieldTitle), rows: rows.map((r) => columns.map((c) => ({ text: textOf(r[c]) }))) }
  }
  if (isObj(v) && Object.values(v).every((x) => !isObj(x) && !Array.isArray(x))) {
    return { kind: 'facts', key, title, facts: Object.entries(v).map(([label, value]) => ({ label: fieldTitle(label), value: textOf(value) })) }
  }
  return { kind: 'code', key, title, items: [{ caption: null, language: 'json', code: JSON.stringify(v, null, 2) ?? '' }] }
}

const BASE_KEYS = new Set(['analysis', 'approach', 'decisions', 'concerns', 'confidence'])

/** The role-specific fields of `output` (not the shared analysis, approach, decisions, concerns, confidence), in the output's order. Never throws. */
export function roleBlocks(output: unknown): RoleBlock[] {
  if (!isObj(output)) return []
  return Object.entries(output)
    .filter(([k]) => !BASE_KEYS.has(k))
    .map(([k, v]) => READERS[k]?.(k, v) ?? genericBlock(k, v))
}

/** How many things a block holds, for a one-line summary: `5 endpoints`. */
export function blockCount(block: RoleBlock): number {
  switch (block.kind) {
    case 'list':
      return block.items.length
    case 'table':
      return block.rows.length
    case 'code':
      return block.items.length
    case 'swatches':
      return block.tokens.length
    case 'steps':
      return block.groups.length
    case 'models':
      return block.models.length
    case 'facts':
      return block.facts.length
    default:
      return 1
  }
}

/** A card's short summary of a role's fields: `Endpoints 5 · Data models 1 · Component diagram`. */
export function blocksSummary(blocks: RoleBlock[]): string[] {
  return blocks.map((b) => {
    if (b.kind === 'facts' && b.facts.length === 1) return `${b.facts[0]?.label}: ${b.facts[0]?.value}`
    if (b.kind === 'diagram' || b.kind === 'markdown') return b.title
    return `${b.title}: ${blockCount(b)}`
  })
}

/** The CSS colour a design token's value names, when it is plainly one (hex, rgb/hsl/oklch); null otherwise, so no model text reaches a style attribute unchecked. */
export function swatchColour(value: string): string | null {
  const v = value.trim()
  if (/^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(v)) return v
  if (/^(?:rgb|rgba|hsl|hsla|oklch|oklab)\(\s*[0-9.%\s,/+-]+(?:deg)?[0-9.%\s,/+-]*\)$/.test(v)) return v
  return null
}
