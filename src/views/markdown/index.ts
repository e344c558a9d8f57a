export { renderMarkdown } from './render-markdown.ts'
export { Markdown } from './markdown.view.tsx'
export type { MarkdownProps } from './markdown.view.tsx'
