export { startActorNode } from './node.ts'
export type { ActorNode, ActorNodeDeps } from './node.ts'
