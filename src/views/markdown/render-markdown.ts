import { Marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

// One parser instance with our options, never the shared global `marked` (other code may configure that).
const parser = new Marked({ async: false, gfm: true, breaks: false })

/** The tags model text may use: text structure, lists, code, quotes, simple tables and links. */
const ALLOWED_TAGS = [
  'p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'hr',
  'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
]

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ['href', 'title', 'rel'], th: ['align'], td: ['align'] },
  // Only these URL schemes survive: `javascript:`, `data:` and `vbscript:` hrefs are dropped.
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Headings inside a card must not outrank the page's own h1/h2.
    h1: 'h3',
    h2: 'h4',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer' } }),
  },
}

/**
 * Model-written Markdown as sanitized HTML: only a small allow-list of tags survives, links get
 * `rel="noopener noreferrer"`, and any URL that is not http(s) or mailto is removed. Never throws.
 */
export function renderMarkdown(text: string): string {
  let html: string
  try {
    html = parser.parse(text) as string
  } catch {
    // marked throws only on internal errors; fall back to escaped plain text.
    return `<p>${Bun.escapeHTML(text)}</p>`
  }
  return sanitizeHtml(html, SANITIZE)
}
