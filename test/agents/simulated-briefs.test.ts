import { describe, expect, it, setDefaultTimeout } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { AGENT_ROLES, type AgentRole, createSimulatedProvider, listRoles, runAgent, type UpstreamOutput } from '../../src/agents/index.ts'
import { buildPlanGraph } from '../../src/orchestration/index.ts'

// Twenty-odd briefs × seven roles through runAgent (schema validation included).
setDefaultTimeout(60_000)

/** The fixture format `sage eval` reads too: extra expectations go under `expect`. */
const BriefSchema = z.object({
  feature_name: z.string().min(1),
  description: z.string(),
  plan: z.enum(['dag', 'parallel', 'sequential']),
  agents: z.array(z.enum(AGENT_ROLES)).min(1).optional(),
  expect: z.looseObject({
    /** The noun phrases a reader finds in the brief; every name the provider writes must be one of them. */
    nouns: z.array(z.string().min(1)).min(1),
    /** The REST resource a designer would choose. */
    resource: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  }),
})
type Brief = z.infer<typeof BriefSchema>

const DIR = join(import.meta.dir, '../../eval/briefs')
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()
const briefs = FILES.map((file) => ({ file, brief: BriefSchema.parse(JSON.parse(readFileSync(join(DIR, file), 'utf8'))) }))
const provider = createSimulatedProvider({ latencyMs: { min: 0, max: 0 } })

/** Every role of the brief, in plan order, each reading the outputs the plan gives it, as a session would. */
async function runBrief(brief: Brief): Promise<Map<AgentRole, Record<string, unknown>>> {
  const graph = buildPlanGraph(brief.plan, brief.agents ?? AGENT_ROLES, listRoles())
  const outputs = new Map<AgentRole, Record<string, unknown>>()
  for (const [role, deps] of graph) {
    const upstream: UpstreamOutput[] = deps.map((d) => ({ role: d, output: outputs.get(d) as UpstreamOutput['output'] }))
    const input = { role, featureName: brief.feature_name, description: brief.description, decisions: [], upstream, attempt: 1 }
    const result = await runAgent(input, { provider, signal: new AbortController().signal })
    expect(result.repaired).toBe(false)
    outputs.set(role, result.output as unknown as Record<string, unknown>)
  }
  return outputs
}

/** Every string inside a value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(strings)
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings)
  return []
}

/** `TwoFactorAuthentication` → `two factor authentication`; `two-factor authentication` → the same. */
const words = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/-/g, ' ')
    .toLowerCase()
    .trim()

describe('the feature briefs in eval/briefs', () => {
  it('are at least 20 files named NN-slug.json, numbered in order', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(20)
    FILES.forEach((file, i) => expect(file).toMatch(new RegExp(`^${String(i + 1).padStart(2, '0')}-[a-z0-9]+(-[a-z0-9]+)*\\.json$`)))
  })
})

for (const { file, brief } of briefs) {
  describe(`the simulated provider on ${file} ("${brief.feature_name}")`, () => {
    const nouns = new Set(brief.expect.nouns.map(words))
    /** A name is one of the brief's noun phrases, or countable records of one (`recurring billing record`). */
    const isBriefNoun = (name: string): boolean => nouns.has(words(name)) || nouns.has(words(name).replace(/ record$/, ''))
    const text = `${brief.feature_name} ${brief.description}`.toLowerCase()
    let outputs: Map<AgentRole, Record<string, unknown>>
    const all = (): string[] => [...outputs.values()].flatMap(strings)

    it('writes schema-valid output for every role of the plan, first time', async () => {
      outputs = await runBrief(brief)
      expect([...outputs.keys()].sort()).toEqual([...(brief.agents ?? AGENT_ROLES)].sort())
    })

    it("puts every /api/ path under the brief's resource, with an action only when the brief names it", () => {
      const paths = all().flatMap((s) => [...s.matchAll(/\/api\/[a-z0-9:/_-]*/g)].map((m) => m[0]))
      expect(paths.length).toBeGreaterThan(0)
      for (const path of paths) {
        const [, resource, id, action, ...rest] = path.split('/').slice(1)
        expect({ path, resource }).toEqual({ path, resource: brief.expect.resource })
        if (id !== undefined && id !== '') expect(id).toBe(':id')
        if (action) expect({ path, inBrief: text.includes(action) }).toEqual({ path, inBrief: true })
        expect(rest).toEqual([])
      }
    })

    it('names its REST resource, tables and entities after noun phrases of the brief', () => {
      const backend = outputs.get('backend_developer') as { decisions: Array<{ text: string }>; data_models: Array<{ name: string }> } | undefined
      if (backend) {
        const exposed = backend.decisions.map((d) => /^Expose (.+) as a REST resource at \/api\/(\S+)$/.exec(d.text)).find(Boolean)
        expect(exposed?.[2]).toBe(brief.expect.resource)
        expect(exposed?.[1]?.replace(/ /g, '-')).toBe(brief.expect.resource)
        for (const model of backend.data_models) expect({ model: model.name, isBriefNoun: isBriefNoun(model.name) }).toEqual({ model: model.name, isBriefNoun: true })
      }
      const dba = outputs.get('database_administrator') as { schema_changes: Array<{ table: string }> } | undefined
      for (const change of dba?.schema_changes ?? []) expect(change.table).toBe(brief.expect.resource.replace(/-/g, '_'))
      const frontend = outputs.get('frontend_developer') as { components: Array<{ name: string }> } | undefined
      for (const component of frontend?.components ?? []) {
        const entity = component.name.replace(/(List|Form|Detail)$/, '')
        expect({ component: component.name, isBriefNoun: isBriefNoun(entity) }).toEqual({ component: component.name, isBriefNoun: true })
      }
      const architect = outputs.get('software_architect') as { component_diagram: string } | undefined
      for (const [, service] of architect?.component_diagram.matchAll(/\[(\w+)Service\]/g) ?? []) {
        expect({ service, isBriefNoun: isBriefNoun(service as string) }).toEqual({ service, isBriefNoun: true })
      }
    })
  })
}
