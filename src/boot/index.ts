export { startService } from './service.ts'
export type { Service, StartOptions } from './service.ts'
export { logWhileWaiting, waitFor } from './wait-for.ts'
export type { WaitForOptions } from './wait-for.ts'
