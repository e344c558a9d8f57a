import { renderMarkdown } from './render-markdown.ts'

/** Props of {@link Markdown}. */
export interface MarkdownProps {
  text: string
  class?: string
}

/** Model text rendered as sanitized Markdown inside a `.prose` block. */
export function Markdown({ text, class: className }: MarkdownProps): JSX.Element {
  // Sanitized by renderMarkdown's allow-list; the `safe` prefix tells xss-scan it is vetted HTML.
  const safeHtml = renderMarkdown(text)
  return <div class={['prose', className]}>{safeHtml}</div>
}
