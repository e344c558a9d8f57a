import { describe, expect, it } from 'bun:test'
import { versionedBaseUrl } from './base-url.ts'

describe('versionedBaseUrl', () => {
  it('adds /v1 to a bare origin and keeps an explicit path', () => {
    expect(versionedBaseUrl('http://127.0.0.1:11434')).toBe('http://127.0.0.1:11434/v1')
    expect(versionedBaseUrl('http://127.0.0.1:11434/')).toBe('http://127.0.0.1:11434/v1')
    expect(versionedBaseUrl('https://openrouter.ai/api/v1/')).toBe('https://openrouter.ai/api/v1')
  })
})
