/**
 * Mailbox transports: the interface the partitions read from and publish to, its in-process implementation and Redis Streams.
 * @module
 */
export { createInProcessTransport } from './in-process.transport.ts'
export type { InProcessTransport } from './in-process.transport.ts'
export { CONSUMER_GROUP, createRedisStreamsTransport, deadLetterKey, mailboxKey } from './redis-streams.transport.ts'
export type { RedisStreamsOptions } from './redis-streams.transport.ts'
export type { DeadLetterEntry, Delivery, MailboxEntry, MailboxSink, MailboxStats, MailboxTransport } from './transport.ts'
