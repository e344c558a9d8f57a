/** A commit found the partition's lease taken by another node (a stale epoch): nothing was written. */
export class FencedError extends Error {
  constructor(partition: number, epoch: number) {
    super(`Partition ${partition} is no longer held at epoch ${epoch}`)
    this.name = 'FencedError'
  }
}

/** A handler (or `activate`) threw; its transaction rolled back. */
export class HandlerFailure extends Error {
  readonly index: number
  constructor(index: number, cause: unknown) {
    super(`Handler failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'HandlerFailure'
    this.index = index
  }
}

/** An optimistic commit found messages already handled; it rolled back and is redone checking the inbox first. */
export class DuplicateDelivery extends Error {
  constructor() {
    super('A batch held messages that were handled before')
    this.name = 'DuplicateDelivery'
  }
}

/** An `ask` got no reply in time. */
export class AskTimeoutError extends Error {
  constructor(to: string, type: string, timeoutMs: number) {
    super(`No reply from ${to} to ${type} within ${timeoutMs} ms`)
    this.name = 'AskTimeoutError'
  }
}
