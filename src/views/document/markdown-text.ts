/** Model text made safe to place in a Markdown document: it reads the same, and nothing in it becomes a link, HTML or a heading of ours. */

/**
 * Text as one inline run: line breaks become spaces and every character Markdown could read as
 * syntax (emphasis, links, HTML, code, tables, line-start markers) is backslash-escaped.
 */
export function mdInline(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#+=-]|\d+[.)])/, (_m, sp: string, mark: string) => `${sp}\\${mark}`)
}

/**
 * Text as a code span for a table cell when it has no backtick, else as escaped inline text. A `|`
 * is escaped even inside the span: GFM splits table cells on it before it reads code spans.
 */
export function mdCode(text: string): string {
  const one = text.replace(/\s*[\r\n]+\s*/g, ' ')
  if (one.trim() === '') return ''
  return one.includes('`') ? mdInline(one) : `\`${one.replace(/\|/g, '\\|')}\``
}

const SAFE_URL = /^\s*<?\s*(?:https?:\/\/|mailto:|#)/i

/**
 * Model-written Markdown kept as Markdown (lists, emphasis, code), with what could act defused:
 * raw HTML tags are escaped, links and images to anything but http(s), mailto or an anchor lose
 * their link syntax, and headings drop to level 4 so they stay inside the role's section.
 */
export function mdBlockText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/\]\(([^)]*)/g, (m: string, dest: string) => (SAFE_URL.test(dest) ? m : `\\]\\(${dest}`))
    .replace(/^( {0,3})\[([^\]\n]*)\]:(?!\s*(?:https?:\/\/|mailto:|#))/gm, '$1\\[$2\\]:')
    .replace(/^( {0,3})#{1,6}(?=\s)/gm, '$1####')
    .trim()
}

/** A fenced code block whose fence is longer than any backtick run inside `code`. */
export function mdFence(code: string, language: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((r) => r.length))
  const fence = '`'.repeat(Math.max(3, longest + 1))
  const lang = language.replace(/[^A-Za-z0-9_+-]/g, '')
  return `${fence}${lang}\n${code.replace(/\r\n?/g, '\n').replace(/\n+$/, '')}\n${fence}`
}

/** A GitHub-flavoured table; cells are already Markdown (escaped by the caller). */
export function mdTable(columns: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map((c) => c || ' ').join(' | ')} |`
  return [line(columns), `|${columns.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n')
}

/**
 * A Mermaid source for a ```mermaid block, without the statements that could act when a code host
 * draws it: `click` (links and callbacks) and `%%{init}%%` directives (which can loosen its security).
 */
export function mermaidForExport(source: string): string {
  return source
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((l) => !/^\s*(click\b|%%\{)/.test(l))
    .join('\n')
    .trim()
}
