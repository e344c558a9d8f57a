import { describe, expect, it } from 'bun:test'
import { extractFeatureTerms } from './sim-terms.ts'

describe('extractFeatureTerms', () => {
  it('finds the head noun, the verbs and a plural resource', () => {
    const t = extractFeatureTerms('Invoice export', 'Accountants export invoices as CSV and schedule reminders.')
    expect(t.entities[0]).toBe('Invoice')
    expect(t.resource).toBe('invoices')
    expect(t.verbs).toContain('export')
    expect(t.verbs).toContain('schedule')
    expect(t.summary).toBe('Accountants export invoices as CSV and schedule reminders.')
  })

  it('treats the last word of a compound name as its subject', () => {
    expect(extractFeatureTerms('Team chat', '').entities[0]).toBe('Chat')
  })

  it('falls back to neutral words for an empty feature', () => {
    const t = extractFeatureTerms('', '')
    expect(t.entities).toEqual(['Item'])
    expect(t.resource).toBe('items')
    expect(t.name).toBe('Untitled feature')
  })
})
