export { createMetricsRegistry } from './registry.ts'
export type { Counter, Labels, MetricsRegistry, Sample } from './registry.ts'
