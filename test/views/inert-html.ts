/** Parses HTML with Bun's HTMLRewriter (lol-html, a browser-grade tokenizer) and lists anything executable. */

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'hx-get', 'hx-post', 'hx-sse:connect', 'hx-ws:connect'])
const FORBIDDEN_TAGS = new Set(['img', 'iframe', 'object', 'embed', 'base', 'frame', 'math', 'style'])
const OUR_SCRIPTS = new Set(['/public/vendor/htmx.min.js', '/public/vendor/ext/hx-sse.js', '/public/vendor/ext/hx-ws.js'])

/**
 * Every way `html` could run script: a `<script>` that is not one of our three vendor files, an
 * `on*` handler attribute, a `javascript:` (or `data:`/`vbscript:`) URL, an injected tag, or an htmx
 * attribute carrying `marker` (attacker text must never become htmx instructions).
 */
export async function findActiveContent(html: string, marker: string): Promise<string[]> {
  const problems: string[] = []
  await new HTMLRewriter()
    .on('*', {
      element(el) {
        const tag = el.tagName.toLowerCase()
        if (tag === 'script' && !OUR_SCRIPTS.has(el.getAttribute('src') ?? '')) problems.push(`script tag: ${[...el.attributes].join(' ')}`)
        if (FORBIDDEN_TAGS.has(tag)) problems.push(`<${tag}> element`)
        for (const [name, value] of el.attributes) {
          const n = name.toLowerCase()
          if (n.startsWith('on')) problems.push(`handler attribute ${n} on <${tag}>`)
          const v = value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase()
          if (URL_ATTRIBUTES.has(n) && /^(javascript|data|vbscript):/.test(v)) problems.push(`${n}=${value} on <${tag}>`)
          if ((n.startsWith('hx-') || n.startsWith('data-hx-')) && n !== 'hx-headers:inherited' && value.includes(marker)) {
            problems.push(`htmx attribute ${n} carries attacker text on <${tag}>`)
          }
          if (n === 'style') problems.push(`inline style on <${tag}>`)
        }
      },
    })
    .transform(new Response(html))
    .text()
  return problems
}

/** `html` with every attribute value emptied, so substring checks see only tags and text. */
export async function withoutAttributeValues(html: string): Promise<string> {
  return new HTMLRewriter()
    .on('*', {
      element(el) {
        for (const [name] of [...el.attributes]) el.setAttribute(name, '')
      },
    })
    .transform(new Response(html))
    .text()
}
