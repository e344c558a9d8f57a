/** One message handed to a mailbox: its id (for dedupe and reconciling) and its envelope text. */
export interface MailboxEntry {
  messageId: string
  body: string
}

/** One entry read from a mailbox. */
export interface Delivery {
  /** The transport's id for the entry (a Redis stream id); null for a local hand-off that has nothing to ack. */
  entryId: string | null
  /** The message id the entry claims; null when the entry is malformed. */
  messageId: string | null
  body: string
}

/** A dead-lettered entry as written to the partition's dead-letter stream. */
export interface DeadLetterEntry {
  messageId: string | null
  body: string
  reason: string
  attempts: number
  nodeId: string
}

/** Where a transport hands the entries it reads. */
export interface MailboxSink {
  deliver(partition: number, deliveries: Delivery[]): void
  /** How many more entries the partition's queue takes now (backpressure); 0 pauses reading it. */
  capacity(partition: number): number
}

/** Mailbox sizes of one partition. */
export interface MailboxStats {
  /** Entries not yet delivered to any consumer. */
  unread: number
  /** Entries delivered and not yet acknowledged. */
  pending: number
}

/**
 * A mailbox transport: partitioned, ordered mailboxes with at-least-once delivery.
 * Implemented in-process (the embedded default) and over Redis Streams. The
 * runtime's commit point (PostgreSQL) sits above it: an entry is acknowledged only
 * after its handler's effects committed.
 */
export interface MailboxTransport {
  readonly name: 'in-process' | 'redis'
  /** Appends entries to a partition's mailbox, in order. Rejects when the transport is unreachable. */
  append(partition: number, entries: MailboxEntry[]): Promise<void>
  /**
   * Starts consuming a partition for this node: returns the entries delivered before
   * (to any consumer) and never acknowledged, in order (the takeover replay); new
   * entries then flow to the sink.
   */
  open(partition: number): Promise<Delivery[]>
  /**
   * Stops reading a partition; resolves once no read that includes it is in flight (its
   * entries were handed to the sink). Unacknowledged entries stay pending for the next owner.
   */
  close(partition: number): Promise<void>
  /** Starts handing entries of opened partitions to `sink`. Call once. */
  start(sink: MailboxSink): void
  /** Acknowledges handled entries. */
  ack(partition: number, entryIds: string[]): Promise<void>
  /** Adds entries to the partition's dead-letter stream. */
  deadLetter(partition: number, letters: DeadLetterEntry[]): Promise<void>
  /** Message ids of the partition's entries not yet acknowledged (unread or pending). */
  present(partition: number): Promise<Set<string>>
  /** Re-delivers entries pending for longer than `minIdleMs` (lost acks after a transport restart). */
  reclaim(partition: number, minIdleMs: number): Promise<Delivery[]>
  /** Drops acknowledged entries below the oldest unacknowledged one; returns how many. */
  trim(partition: number): Promise<number>
  stats(partition: number): Promise<MailboxStats>
  /** Ephemeral reply to an `ask` waiting on node `nodeId`. */
  publishReply(nodeId: string, body: string): Promise<void>
  /** Receives replies addressed to node `nodeId`; returns an unsubscribe function. */
  onReply(nodeId: string, listener: (body: string) => void): Promise<() => Promise<void>>
  /** Stops reading and closes connections the transport opened itself. Idempotent. */
  stop(): Promise<void>
}
