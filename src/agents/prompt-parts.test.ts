import { describe, expect, it } from 'bun:test'
import { buildPrompt, promptConstants } from './prompt.ts'
import { promptTexts, systemPromptParts, userPromptParts } from './prompt-parts.ts'

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

describe('userPromptParts', () => {
  const block = (name: string): string => `### ${name}\n${'decision and rationale '.repeat(20)}`

  it('names each long upstream block by hash and keeps the rest inline; joined they are the prompt', () => {
    const [a, b] = [block('Architect'), block('Backend')]
    const user = `# What your teammates produced\n\n${a}\n\n${b}\n\n# Your task\nDo it.`
    const { parts, texts } = userPromptParts(user, [a, b])
    expect(texts.map((t) => t.body)).toEqual([a, b])
    expect(parts).toEqual(['# What your teammates produced\n\n', { text_ref: texts[0]?.hash as string }, '\n\n', { text_ref: texts[1]?.hash as string }, '\n\n# Your task\nDo it.'])
    const bodies = new Map(texts.map((t) => [t.hash, t.body]))
    expect(parts.map((p) => (typeof p === 'string' ? p : bodies.get(p.text_ref))).join('')).toBe(user)
  })

  it('gives the same block the same hash in every prompt, keeps short and missing blocks inline', () => {
    const a = block('Architect')
    const one = userPromptParts(`x${a}y`, [a])
    const two = userPromptParts(`z${a}`, [a])
    expect(one.texts[0]?.hash).toBe(two.texts[0]?.hash as string)
    expect(userPromptParts('short block here', ['short'])).toEqual({ parts: ['short block here'], texts: [] })
    expect(userPromptParts('no blocks', [a])).toEqual({ parts: ['no blocks'], texts: [] })
    const built = buildPrompt({ role: 'backend_developer', featureName: 'f', description: 'd', decisions: [], upstream: [], attempt: 1 })
    expect(built.upstreamBlocks).toEqual([])
  })
})
