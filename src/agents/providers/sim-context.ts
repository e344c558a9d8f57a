import type { AgentInput } from '../agent-types.ts'
import type { SimContext, UpstreamDigest } from '../role-definition.ts'
import { ROLE_DEFINITIONS } from '../roles/index.ts'
import { stripSimDirectives } from '../sim-directives.ts'
import { extractFeatureTerms } from './sim-terms.ts'

/** The simulated provider's view of an agent input, with every random choice drawn from `random`. */
export function createSimContext(input: AgentInput, random: () => number, options: { mismatch?: boolean } = {}): SimContext {
  const feature = extractFeatureTerms(stripSimDirectives(input.featureName), stripSimDirectives(input.description))
  const upstream: UpstreamDigest[] = input.upstream.map((u) => ({
    role: u.role,
    displayName: ROLE_DEFINITIONS[u.role].displayName,
    decisions: u.output.decisions.map((d) => d.text),
    concerns: u.output.concerns,
  }))
  const journal = input.decisions.map((d) => d.text)
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1))
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T
  return {
    feature,
    upstream,
    journal,
    mismatch: options.mismatch ?? false,
    int,
    pick,
    some<T>(items: readonly T[], min: number, max: number): T[] {
      const pool = [...items]
      // Seeded Fisher–Yates, then keep a seeded count.
      for (let i = pool.length - 1; i > 0; i--) {
        const j = int(0, i)
        ;[pool[i], pool[j]] = [pool[j] as T, pool[i] as T]
      }
      return pool.slice(0, Math.min(pool.length, int(min, max)))
    },
    confidence(): number {
      return Math.round((0.55 + random() * 0.4) * 100) / 100
    },
    a(word: string): string {
      return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`
    },
    buildsOn(): string {
      const withDecisions = upstream.filter((u) => u.decisions.length > 0)
      if (withDecisions.length > 0) {
        const u = pick(withDecisions)
        return `Builds on the ${u.displayName}'s decision: "${pick(u.decisions)}".`
      }
      if (journal.length > 0) return `Respects the team decision already in the journal: "${pick(journal)}".`
      return ''
    },
  }
}
