/** htmx 4's `<hx-partial>` element: its content is swapped into `hx-target` with `hx-swap`. */
declare namespace JSX {
  interface IntrinsicElements {
    'hx-partial': HtmlTag & { 'hx-target': string; 'hx-swap'?: string }
  }
}
