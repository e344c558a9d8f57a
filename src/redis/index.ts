export { closeRedis, connectRedis } from './connect.ts'
export type { Redis } from './connect.ts'
