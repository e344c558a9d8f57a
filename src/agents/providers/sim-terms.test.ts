import { describe, expect, it } from 'bun:test'
import { extractFeatureTerms } from './sim-terms.ts'

describe('extractFeatureTerms', () => {
  it("takes the name's noun phrase, not the channel it mentions (the issue's password reset)", () => {
    const t = extractFeatureTerms('Password reset by email', 'Users who forgot their password request a reset link by email.')
    expect(t).toMatchObject({ subject: 'password reset', subjects: 'password resets', resource: 'password-resets' })
    expect(t.entities[0]).toBe('PasswordReset')
    expect(t.resource).not.toBe('emails')
  })

  it('never makes a resource of a product word or an acronym (no /api/apis)', () => {
    const t = extractFeatureTerms('Rate limiting for the public API', '')
    expect(t.resource).toBe('rate-limits')
    expect(t.entities).not.toContain('Api')
  })

  it('skips adjectives and clauses in a long name (no "longs")', () => {
    const t = extractFeatureTerms('A long title that keeps going about the quarterly revenue report for regional managers', '')
    expect(t.subject).toBe('revenue report')
    expect(t.resource).toBe('revenue-reports')
  })

  it('reads a leading imperative as the action and its object as the subject', () => {
    const t = extractFeatureTerms('Export invoices to CSV', 'Accountants export invoices as CSV and schedule reminders.')
    expect(t.resource).toBe('invoices')
    expect(t.verbs).toEqual(['export'])
  })

  it('reads every word of a compound name as a noun ("chat" is tagged a verb alone)', () => {
    expect(extractFeatureTerms('Team chat', '').resource).toBe('team-chats')
    expect(extractFeatureTerms('Webhook delivery retries', '').resource).toBe('webhook-delivery-retries')
  })

  it("turns an activity into what its verb acts on in the description, or a countable record of it", () => {
    expect(extractFeatureTerms('Real-time collaborative editing', 'Several people edit the same document at once.').subject).toBe('document')
    expect(extractFeatureTerms('Recurring billing', '')).toMatchObject({ subject: 'recurring billing record', resource: 'recurring-billing-records' })
  })

  it('falls back to neutral words for an empty or meaningless feature', () => {
    for (const name of ['', 'x']) {
      const t = extractFeatureTerms(name, '')
      expect(t.entities).toEqual(['Item'])
      expect(t.resource).toBe('items')
    }
    expect(extractFeatureTerms('', '').name).toBe('Untitled feature')
  })

  it('gives a resource that is a safe URL segment and SQL identifier for any text', () => {
    const texts = [
      '<script>alert(1)</script> widget',
      "'; DROP TABLE users; -- reports",
      '3D model viewer',
      'Café menü with ümlauts',
      '🚀 launch checklist 🚀',
      'Version 2 release notes',
      'word '.repeat(1500),
      '--- ... ,,,',
    ]
    for (const text of texts) {
      const t = extractFeatureTerms(text, text)
      expect({ text, resource: t.resource }).toEqual({ text, resource: expect.stringMatching(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/) })
      for (const entity of t.entities) expect(entity).toMatch(/^[A-Z][A-Za-z0-9]*$/)
    }
  })
})
