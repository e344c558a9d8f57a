/** A task's `output_data` read defensively: models write it, so any field may be missing or mistyped. */

/** One decision an agent reported. */
export interface AgentDecision {
  text: string
  rationale: string | null
  category: string | null
}

/** The shared base of every role's output, plus the role-specific rest. */
export interface AgentOutput {
  analysis: string | null
  approach: string | null
  decisions: AgentDecision[]
  concerns: string[]
  /** 0..1, clamped; null when absent or not a number. */
  confidence: number | null
  /** Every other top-level field, in the model's order. */
  role_fields: [string, unknown][]
}

const BASE_KEYS = new Set(['analysis', 'approach', 'decisions', 'concerns', 'confidence'])

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null
}

/** The base fields and role fields of `output`; never throws, whatever `output` is. */
export function readAgentOutput(output: unknown): AgentOutput {
  const o = output !== null && typeof output === 'object' && !Array.isArray(output) ? (output as Record<string, unknown>) : {}
  const decisions = Array.isArray(o.decisions)
    ? o.decisions.flatMap((d): AgentDecision[] => {
        if (typeof d === 'string') return [{ text: d, rationale: null, category: null }]
        if (d === null || typeof d !== 'object') return []
        const r = d as Record<string, unknown>
        const t = text(r.text) ?? text(r.decision_text) ?? text(r.decision)
        return t ? [{ text: t, rationale: text(r.rationale), category: text(r.category) }] : []
      })
    : []
  const concerns = Array.isArray(o.concerns) ? o.concerns.flatMap((c) => (text(c) ? [c as string] : [])) : []
  const conf = typeof o.confidence === 'number' && Number.isFinite(o.confidence) ? Math.min(1, Math.max(0, o.confidence)) : null
  return {
    analysis: text(o.analysis),
    approach: text(o.approach),
    decisions,
    concerns,
    confidence: conf,
    role_fields: Object.entries(o).filter(([k]) => !BASE_KEYS.has(k)),
  }
}
