/**
 * Session events: one definition per event type (`event-data.ts`: a zod schema per type's
 * `data`, and the union over them), the one SQL fragment that numbers and appends them, the
 * per-session log, and its live fan-out (Redis pub/sub or in-process).
 */
export { createInProcessEventBus, createRedisEventBus } from './event-bus.ts'
export type { EventBus, EventListener } from './event-bus.ts'
export { eventAppendCtes } from './event-append.ts'
export type { AppendedEventRow, EventAppend } from './event-append.ts'
export { EVENT_DATA, EVENT_TYPES, isSessionEnd, SESSION_END_TYPES, TaskRef } from './event-data.ts'
export type { EventData, EventType } from './event-data.ts'
export { createEventFeed } from './event-feed.ts'
export { latestProgress, retryTimes } from './event-queries.ts'
export type { EventFeed, EventFeedDeps } from './event-feed.ts'
export { appendEvents, eventFromRow, eventsFromRows, lastEventSeq, readEvents } from './event-log.ts'
export { checkNewEvent, eventSeq, isEventType, parseEventData, SessionEventSchema } from './session-event.ts'
export type { EventHandlers, NewSessionEvent, NewSessionEventOf, SessionEvent, SessionEventOf } from './session-event.ts'
