export { Layout, HTMX_CONFIG } from './layout.view.tsx'
export type { LayoutProps } from './layout.view.tsx'
export { SiteHeader, BOOST } from './nav.view.tsx'
export type { SiteHeaderProps } from './nav.view.tsx'
