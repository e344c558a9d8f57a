import { describe, expect, it } from 'bun:test'
import { renderMarkdown } from '../../src/views/index.ts'

describe('renderMarkdown', () => {
  it('renders ordinary Markdown structure', () => {
    const html = renderMarkdown('**bold** and `code`\n\n- one\n- two')
    expect(html).toContain('<strong>bold</strong>')
    expect(html).toContain('<code>code</code>')
    expect(html).toContain('<li>one</li>')
  })

  it('removes javascript: links but keeps their text', () => {
    const html = renderMarkdown('[click](javascript:alert(1)) <a href="JaVaScRiPt:alert(1)">raw</a>')
    expect(html).not.toMatch(/javascript:/i)
    expect(html).toContain('click')
    expect(html).toContain('raw')
  })

  it('adds rel="noopener noreferrer" to http links', () => {
    expect(renderMarkdown('[site](https://example.com)')).toBe(
      '<p><a href="https://example.com" rel="noopener noreferrer">site</a></p>\n',
    )
  })

  it('drops script, images, handlers and styles from embedded HTML', () => {
    const html = renderMarkdown('<script>alert(1)</script><img src=x onerror=alert(1)><p style="x" onclick="y">t</p><iframe src="/"></iframe>')
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('onclick')
    expect(html).not.toContain('style=')
    expect(html).not.toContain('<iframe')
  })

  it('demotes h1 and h2 so model text never outranks the page headings', () => {
    const html = renderMarkdown('# Big\n\n## Less')
    expect(html).toContain('<h3>Big</h3>')
    expect(html).toContain('<h4>Less</h4>')
  })

  it('drops data: URLs', () => {
    expect(renderMarkdown('[x](data:text/html;base64,PHNjcmlwdD4=)')).not.toContain('data:')
  })
})
