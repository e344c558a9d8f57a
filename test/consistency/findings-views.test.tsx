import { describe, expect, it } from 'bun:test'
import { FindingsSection, type FindingView, groupFindings } from '../../src/views/index.ts'
import { findingsMarkdown } from '../../src/views/document/findings-markdown.ts'

const finding = (id: number, rule: string, message: string, extra: Partial<FindingView> = {}): FindingView => ({
  id,
  rule,
  rule_title: rule === 'a' ? 'Rule A' : 'Rule B',
  severity: 'error',
  roles: ['frontend_developer', 'backend_developer'],
  message,
  status: 'open',
  note: null,
  ...extra,
})

describe('findings views', () => {
  it('groups findings by rule in the order their first finding came', () => {
    const groups = groupFindings([finding(1, 'b', 'x'), finding(2, 'a', 'y'), finding(3, 'b', 'z')])
    expect(groups.map((g) => [g.title, g.findings.map((f) => f.id)])).toEqual([
      ['Rule B', [1, 3]],
      ['Rule A', [2]],
    ])
  })

  it('escapes model text and notes, and shows forms only to members', async () => {
    const hostile = '"><img src=x onerror=alert(1)>'
    const props = { session_id: 7, score: 90, findings: [finding(1, 'a', hostile, { note: hostile, status: 'resolved' })], can_fork: true, csrf_token: 't' }
    const member = await (<FindingsSection {...props} can_act />)
    // Outside quoted attribute values (where `<` is plain text and `"` is escaped) no tag is made of it.
    expect(member.replace(/"[^"]*"/g, '""')).not.toContain('<img')
    expect(member).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(member).toContain('action="/sessions/7/findings/1"')
    expect(member).toContain('action="/sessions/7/fork"')
    expect(member).toContain('Consistency score 90 / 100 · 1 finding')
    const viewer = await (<FindingsSection {...props} can_act={false} />)
    expect(viewer).not.toContain('<form')
  })

  it('says the outputs are not checked yet before the session completes', async () => {
    const html = await (<FindingsSection session_id={1} score={null} findings={[]} can_act can_fork={false} csrf_token={null} />)
    expect(html).toContain('checked against each other when the session completes')
  })

  it('writes the Markdown section with the score, a heading per rule and escaped messages', () => {
    const md = findingsMarkdown(80, [finding(1, 'a', 'calls GET /api/<b>x</b>', { note: 'ok *now*' })])
    expect(md).toContain('Consistency score: **80 / 100**')
    expect(md).toContain('### Rule A')
    expect(md).not.toContain('<b>')
    expect(findingsMarkdown(100, [])).toContain('No finding')
    expect(findingsMarkdown(null, [])).toContain('have not been checked')
  })
})
