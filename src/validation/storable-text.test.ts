import { describe, expect, it } from 'bun:test'
import { storableText, storableValue } from './storable-text.ts'

describe('storableText', () => {
  it('leaves ordinary text, emoji and other control characters alone', () => {
    expect(storableText('héllo 😀 \t\n עברית')).toEqual({ text: 'héllo 😀 \t\n עברית', replaced: 0 })
  })

  it('removes NUL and replaces lone surrogates with U+FFFD, counting each', () => {
    expect(storableText('a\u0000b\u0000')).toEqual({ text: 'ab', replaced: 2 })
    expect(storableText('a\ud800b')).toEqual({ text: 'a\ufffdb', replaced: 1 })
    expect(storableText('\udc00x\ud83d')).toEqual({ text: '\ufffdx\ufffd', replaced: 2 })
    expect(storableText('\ud83d\ud83d\ude00')).toEqual({ text: '\ufffd😀', replaced: 1 })
  })

  it('gives text that survives JSON.stringify without a surrogate escape', () => {
    const { text } = storableText('x\ud800\u0000y')
    expect(JSON.stringify(text)).toBe('"x\ufffdy"')
  })
})

describe('storableValue', () => {
  it('cleans every string of a nested value, keys included, and counts them', () => {
    const { value, replaced } = storableValue<Record<string, unknown>>({ a: ['ok', 'b\u0000'], 'k\ud800': { n: 1, s: '\udfff' }, t: true, z: null })
    expect(value).toEqual({ a: ['ok', 'b'], 'k\ufffd': { n: 1, s: '\ufffd' }, t: true, z: null })
    expect(replaced).toBe(3)
  })

  it('returns the same object when nothing needed changing', () => {
    const input = { a: ['x', { b: 'y' }] }
    expect(storableValue(input).value).toBe(input)
  })
})
