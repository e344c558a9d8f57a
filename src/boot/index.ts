export { startService } from './service.ts'
export type { Service } from './service.ts'
