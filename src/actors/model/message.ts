import type { z } from 'zod'

/** A typed message: a `type` tag and a payload validated by the type's schema. */
export interface Message<T extends string = string, P = unknown> {
  readonly type: T
  readonly payload: P
}

/** One message type: its tag, its zod schema, and a constructor. */
export interface MessageType<T extends string = string, P = unknown> {
  (payload: P): Message<T, P>
  readonly type: T
  readonly schema: z.ZodType<P>
  /** True when `message` has this type (the payload is trusted: it was validated on receipt). */
  is(message: Message): message is Message<T, P>
}

/** The message union a list of message types describes. */
export type MessageOf<M> = M extends MessageType<infer T, infer P> ? Message<T, P> : never

/**
 * Defines a message type: one definition per type, validated on receipt.
 * @example
 * const Increment = defineMessage('counter.increment', z.object({ by: z.number().int() }))
 * node.tell('counter/7', Increment({ by: 2 }))
 */
export function defineMessage<T extends string, S extends z.ZodType>(type: T, schema: S): MessageType<T, z.output<S>> {
  const make = (payload: z.output<S>): Message<T, z.output<S>> => ({ type, payload })
  return Object.assign(make, {
    type,
    schema: schema as unknown as z.ZodType<z.output<S>>,
    is: (message: Message): message is Message<T, z.output<S>> => message.type === type,
  })
}
