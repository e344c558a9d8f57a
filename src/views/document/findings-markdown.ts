import { humanize, roleLabel } from '../format.ts'
import { type FindingView, groupFindings } from '../session/findings-section.view.tsx'
import { mdInline } from './markdown-text.ts'

/**
 * The design document's consistency section in Markdown: the score, then one `###` per rule
 * with each finding's severity, status, roles, message and note. Pure: same data, same bytes.
 */
export function findingsMarkdown(score: number | null, findings: readonly FindingView[]): string {
  const head = '<a id="consistency-findings"></a>\n\n## Consistency findings'
  if (score === null && findings.length === 0) return `${head}\n\nThe outputs have not been checked against each other (the session did not complete).`
  const parts = [head, `Consistency score: **${score ?? '—'} / 100**`]
  if (findings.length === 0) parts.push('No finding: the roles’ outputs agree with each other.')
  for (const group of groupFindings(findings)) {
    const items = group.findings.map((f) => {
      const meta = `**${humanize(f.severity)}** · ${humanize(f.status)} · ${f.roles.map((r) => mdInline(roleLabel(r))).join(', ')}`
      return `- ${meta}: ${mdInline(f.message)}${f.note ? `\n  Note: ${mdInline(f.note)}` : ''}`
    })
    parts.push(`### ${mdInline(group.title)}\n\n${items.join('\n')}`)
  }
  return parts.join('\n\n')
}
