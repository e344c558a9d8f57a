export { startService } from './service.ts'
export type { Service } from './service.ts'
export { actorNodeOptions } from './actor-node-options.ts'
