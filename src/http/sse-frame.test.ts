import { describe, expect, it } from 'bun:test'
import { sseComment, sseFrame } from './sse-frame.ts'

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

describe('sseFrame', () => {
  it('puts every line of multi-line HTML on its own data: line', () => {
    expect(text(sseFrame('<p>a</p>\n<p>b</p>', { id: '7' }))).toBe('id: 7\ndata: <p>a</p>\ndata: <p>b</p>\n\n')
  })

  it('names the event when asked', () => {
    expect(text(sseFrame('42', { event: 'tick' }))).toBe('event: tick\ndata: 42\n\n')
  })

  it('refuses an id with a line break, which would forge a frame', () => {
    expect(() => sseFrame('x', { id: '1\ndata: evil' })).toThrow('one line')
  })

  it('normalises CRLF and CR line endings in data', () => {
    expect(text(sseFrame('a\r\nb\rc'))).toBe('data: a\ndata: b\ndata: c\n\n')
  })
})

describe('sseComment', () => {
  it('writes one comment line that cannot break out into a frame', () => {
    expect(text(sseComment('ping\ndata: x'))).toBe(': ping data: x\n\n')
  })
})
