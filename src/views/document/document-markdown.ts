import { formatCount, formatDuration, formatPercent, formatTokensInOut, formatUsd, planLabel, roleLabel } from '../format.ts'
import { readAgentOutput } from '../session/agent-output.ts'
import { decisionWho } from '../session/decision-journal.view.tsx'
import { findingsMarkdown } from './findings-markdown.ts'
import type { TaskView } from '../view-types.ts'
import { type DesignDocumentData, openConcerns, planSequence, roleAnchor, tasksInPlanOrder } from './document-data.ts'
import { mdBlockText, mdCode, mdFence, mdInline, mdTable, mermaidForExport } from './markdown-text.ts'
import { type Cell, type RoleBlock, roleBlocks } from './role-blocks.ts'

function cell(c: Cell): string {
  return c.code ? mdCode(c.text) : mdInline(c.text)
}

function blockMarkdown(b: RoleBlock): string {
  const head = `### ${mdInline(b.title)}\n\n`
  switch (b.kind) {
    case 'markdown':
      return head + mdBlockText(b.text)
    case 'list':
      return head + b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '-'} ${mdInline(item)}`).join('\n')
    case 'table':
      return head + mdTable(b.columns.map(mdInline), b.rows.map((r) => r.map(cell)))
    case 'code':
      return head + b.items.map((item) => `${item.caption ? `**${mdInline(item.caption)}**\n\n` : ''}${mdFence(item.code, item.language)}`).join('\n\n')
    case 'diagram':
      return head + mdFence(mermaidForExport(b.source), 'mermaid')
    case 'swatches':
      return head + mdTable(['Token', 'Value', 'Usage'], b.tokens.map((t) => [mdCode(t.name), mdCode(t.value), mdInline(t.usage)]))
    case 'steps':
      return head + b.groups.map((g) => `**${mdInline(g.name)}**\n\n${g.steps.map((s, i) => `${i + 1}. ${mdInline(s)}`).join('\n')}`).join('\n\n')
    case 'models':
      return head + b.models.map((m) => `**${mdInline(m.name)}**\n\n${mdTable(['Field', 'Type'], m.fields.map((f) => [mdCode(f.name), mdCode(f.type)]))}`).join('\n\n')
    case 'facts':
      return head + b.facts.map((f) => `- **${mdInline(f.label)}**: ${mdInline(f.value)}`).join('\n')
  }
}

function roleMarkdown(task: TaskView, index: number): string {
  const out = readAgentOutput(task.output_data)
  const parts: string[] = [`<a id="${roleAnchor(task.agent_role)}"></a>\n\n## ${index}. ${mdInline(roleLabel(task.agent_role))}`]
  const meta = [
    task.status,
    task.model,
    out.confidence !== null && task.status === 'completed' ? `confidence ${formatPercent(out.confidence)}` : null,
    `${formatCount(task.input_tokens)} tokens in, ${formatCount(task.output_tokens)} out`,
    task.cost_usd !== null && task.cost_usd !== undefined ? formatUsd(task.cost_usd) : null,
  ]
  parts.push(`*${meta.filter((m): m is string => Boolean(m)).map(mdInline).join(' · ')}*`)
  if (task.status !== 'completed') {
    if (task.error_message) parts.push(`Error: ${mdInline(task.error_message)}`)
    return parts.join('\n\n')
  }
  if (out.analysis) parts.push(`### Analysis\n\n${mdBlockText(out.analysis)}`)
  if (out.approach) parts.push(`### Approach\n\n${mdBlockText(out.approach)}`)
  const decisions = task.decisions?.length
    ? task.decisions.map((d) => ({ text: d.decision_text, rationale: d.rationale, category: d.category }))
    : out.decisions
  if (decisions.length) {
    const items = decisions.map(
      (d) => `- **${mdInline(d.text)}**${d.category ? ` (${mdInline(d.category)})` : ''}${d.rationale ? `: ${mdInline(d.rationale)}` : ''}`,
    )
    parts.push(`### Decisions\n\n${items.join('\n')}`)
  }
  if (out.concerns.length) parts.push(`### Concerns\n\n${out.concerns.map((c) => `- ${mdInline(c)}`).join('\n')}`)
  for (const block of roleBlocks(task.output_data)) parts.push(blockMarkdown(block))
  return parts.join('\n\n')
}

/**
 * The design document as GitHub-flavoured Markdown: summary, one `##` section per role in plan
 * order (each with an anchor), the diagram as a ```mermaid block, tables for tabular fields, the
 * decision log, open concerns and cost. A pure function of `doc`: the same data gives the same bytes.
 */
export function designDocumentMarkdown(doc: DesignDocumentData): string {
  const { session } = doc
  const tasks = tasksInPlanOrder(doc.tasks, doc.plan)
  const parts: string[] = [`# Design: ${mdInline(session.feature_name)}`]
  if (session.description) parts.push(mdInline(session.description))
  parts.push(
    '## Summary',
    mdTable(
      ['Field', 'Value'],
      [
        ['Team', mdInline(doc.team.name)],
        ['Feature', mdInline(session.feature_name)],
        ['Plan', mdInline(`${planLabel(session.plan)}: ${planSequence(tasks, doc.plan, roleLabel)}`)],
        ['Status', session.status],
        ['Started by', mdInline(doc.started_by ?? 'a former member')],
        ['Started', session.started_at ?? '—'],
        ['Ended', session.ended_at ?? '—'],
        ['Duration', formatDuration(session.duration_seconds)],
        ['Tokens', formatTokensInOut(session.input_tokens ?? 0, session.output_tokens ?? 0)],
        ['Cost', formatUsd(session.cost_usd ?? null)],
      ],
    ),
    `**Contents:** ${[
      ...tasks.map((t, i) => `[${i + 1}. ${mdInline(roleLabel(t.agent_role))}](#${roleAnchor(t.agent_role)})`),
      '[Decision log](#decision-log)',
      '[Open concerns](#open-concerns)',
      '[Consistency findings](#consistency-findings)',
      '[Tokens and cost](#tokens-and-cost)',
    ].join(' · ')}`,
  )
  tasks.forEach((t, i) => parts.push(roleMarkdown(t, i + 1)))
  parts.push('<a id="decision-log"></a>\n\n## Decision log')
  parts.push(
    doc.decisions.length === 0
      ? 'No decisions were recorded.'
      : mdTable(
          ['#', 'Decision', 'Rationale', 'Category', 'Confidence', 'Who'],
          doc.decisions.map((d, i) => [
            String(i + 1),
            mdInline(d.decision_text),
            mdInline(d.rationale ?? ''),
            mdInline(d.category ?? ''),
            mdInline(d.confidence ?? ''),
            mdInline(decisionWho(d)),
          ]),
        ),
  )
  const concerns = openConcerns(tasks, (o) => readAgentOutput(o).concerns)
  parts.push('<a id="open-concerns"></a>\n\n## Open concerns')
  parts.push(concerns.length === 0 ? 'No role raised a concern.' : concerns.map((c) => `- **${mdInline(roleLabel(c.agent_role))}**: ${mdInline(c.text)}`).join('\n'))
  parts.push(findingsMarkdown(session.consistency_score ?? null, doc.findings ?? []))
  parts.push('<a id="tokens-and-cost"></a>\n\n## Tokens and cost')
  parts.push(
    mdTable(
      ['Role', 'Model', 'Tokens in', 'Tokens out', 'Cost'],
      [
        ...tasks.map((t) => [
          mdInline(roleLabel(t.agent_role)),
          mdInline(t.model ?? '—'),
          formatCount(t.input_tokens),
          formatCount(t.output_tokens),
          formatUsd(t.cost_usd ?? null),
        ]),
        ['**Total**', ' ', formatCount(session.input_tokens ?? 0), formatCount(session.output_tokens ?? 0), formatUsd(session.cost_usd ?? null)],
      ],
    ),
  )
  return `${parts.join('\n\n')}\n`
}
