/**
 * The node in its cluster: startActorNode, the coordinator (heartbeat, leases, rebalancing), rendezvous hashing, the client that sends messages, the periodic scheduler and the runtime's maintenance.
 * @module
 */
export { createActorClient } from './client.ts'
export type { ActorClient, ActorClientDeps, PendingMessage, TellOptions } from './client.ts'
export { Coordinator } from './coordinator.ts'
export type { OwnedPartition } from './coordinator.ts'
export { DEPARTED_NODE_RETENTION_MS, maintenanceSchedules } from './maintenance.ts'
export { startActorNode } from './node.ts'
export type { ActorNode, ActorNodeDeps, ActorNodeOptions } from './node.ts'
export { startPeriodicScheduler } from './periodic-scheduler.ts'
export type { PeriodicContext, PeriodicSchedule, PeriodicScheduler } from './periodic-scheduler.ts'
export { assignPartitions } from './rendezvous.ts'
