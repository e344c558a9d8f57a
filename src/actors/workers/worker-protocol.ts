/** Messages from the node's main thread to a pool Worker. Small and flat (STACK.md §8.5). */
export type ToWorker =
  | { t: 'run'; id: string; kind: string; input: string; actor: string }
  | { t: 'abort'; id: string }
  | { t: 'stop' }

/** Messages from a pool Worker to the main thread. */
export type FromWorker =
  | { t: 'ready'; kinds: string[] }
  | { t: 'done'; id: string; output: string }
  | { t: 'fail'; id: string; error: string; unknownKind: boolean }
  | { t: 'progress'; id: string; data: string }
