import { describe, expect, it } from 'bun:test'
import { partialAnalysis } from './agent-job.ts'

describe('partialAnalysis', () => {
  it('is empty until the stream reaches the analysis field', () => {
    expect(partialAnalysis('{"approa')).toBe('')
  })

  it('returns the analysis written so far, unescaped', () => {
    expect(partialAnalysis('{"analysis": "Line one\\nand \\"quoted\\" text')).toBe('Line one\nand "quoted" text')
  })

  it('drops an escape cut in half at the end of the stream', () => {
    expect(partialAnalysis('{"analysis":"caf\\u00')).toBe('caf')
    expect(partialAnalysis('{"analysis":"a\\')).toBe('a')
  })

  it('stops at the end of the field once it is complete', () => {
    expect(partialAnalysis('{"analysis":"done","approach":"next"}')).toBe('done')
  })
})
