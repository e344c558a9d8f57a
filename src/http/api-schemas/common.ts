import { z } from 'zod'

/** An ISO-8601 timestamp in UTC, as `JSON.stringify` writes a `Date` (`2026-12-07T20:41:00.123Z`). */
export const Timestamp = z.iso.datetime()

/** A row id: a positive whole number. */
export const Id = z.number().int().positive()

/** A whole number of tokens (or anything else counted). */
export const Count = z.number().int().min(0)

/** An amount in US dollars. */
export const Usd = z.number()

/** A share from 0 to 1 (a success rate, a confidence). */
export const Fraction = z.number().min(0).max(1)

/** Whatever JSON an agent or a stored document holds: any value. */
export const AnyJson = z.unknown()

/** API.md's error shape: every 4xx and 5xx body, whatever its cause. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe('A stable machine-readable code: bad_request, unauthorized, forbidden, not_found, conflict, payload_too_large, validation_failed, rate_limited, internal, unavailable.'),
      message: z.string().describe('A sentence for people; may change.'),
      details: z
        .unknown()
        .optional()
        .describe('For validation_failed (and some conflicts) the fields as `[{field, message}]`; for internal and unavailable `{request_id}`.'),
    }),
  })
  .describe('The error shape of every failed request.')
