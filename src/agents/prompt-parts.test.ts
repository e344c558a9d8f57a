import { describe, expect, it } from 'bun:test'
import { buildPrompt, promptConstants } from './prompt.ts'
import { promptTexts, systemPromptParts } from './prompt-parts.ts'

describe('systemPromptParts', () => {
  it('names the constant head and tail by hash and keeps the session text inline; joined they are the prompt', () => {
    const { system } = buildPrompt({ role: 'backend_developer', featureName: 'Invoice export', description: 'CSV', decisions: [], upstream: [], attempt: 1 })
    const parts = systemPromptParts('backend_developer', system)
    const [head, tail] = promptTexts('backend_developer')
    expect(parts).toEqual([{ text_ref: head?.hash as string }, expect.stringContaining('# Feature: Invoice export'), { text_ref: tail?.hash as string }])
    const bodies = new Map(promptTexts('backend_developer').map((t) => [t.hash, t.body]))
    expect(parts.map((p) => (typeof p === 'string' ? p : bodies.get(p.text_ref))).join('')).toBe(system)
    expect(head?.body).toBe(promptConstants('backend_developer').head)
  })

  it('keeps a prompt it does not recognise whole', () => {
    expect(systemPromptParts('backend_developer', 'something else')).toEqual(['something else'])
    const other = buildPrompt({ role: 'software_architect', featureName: 'x', description: 'y', decisions: [], upstream: [], attempt: 1 }).system
    expect(systemPromptParts('backend_developer', other)).toEqual([other])
  })

  it('gives each role its own tail and every role the same head', () => {
    const [a, b] = [promptTexts('backend_developer'), promptTexts('software_architect')]
    expect(a[0]?.hash).toBe(b[0]?.hash as string)
    expect(a[1]?.hash).not.toBe(b[1]?.hash as string)
  })
})
