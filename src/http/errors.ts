/** The JSON error shape of API.md. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown }
}

/** An error that maps to one HTTP status and one `code` of API.md's error shape. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'HttpError'
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } }
  }
}

export class BadRequestError extends HttpError {
  constructor(message = 'The request body is not valid JSON.') {
    super(400, 'bad_request', message)
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'Sign in first.') {
    super(401, 'unauthorized', message)
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'You are not allowed to do that.') {
    super(403, 'forbidden', message)
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'Not found.') {
    super(404, 'not_found', message)
  }
}

export class ConflictError extends HttpError {
  constructor(message: string, details?: unknown) {
    super(409, 'conflict', message, details)
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(limit: number) {
    // Closing the connection spares reading the rest of a body nobody will use.
    super(413, 'payload_too_large', `The request body is larger than ${limit} bytes.`, undefined, { connection: 'close' })
  }
}

/** One field that failed validation: its path (`email`, `agents.2`) and why. */
export interface FieldError {
  field: string
  message: string
}

export class ValidationError extends HttpError {
  constructor(details: FieldError[], message = 'Some fields are not valid.') {
    super(422, 'validation_failed', message, details)
  }
}

export class RateLimitedError extends HttpError {
  constructor(retryAfterSeconds: number) {
    super(429, 'rate_limited', 'Too many attempts. Try again later.', undefined, {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    })
  }
}

export class ServiceUnavailableError extends HttpError {
  constructor(message: string, details?: unknown) {
    super(503, 'unavailable', message, details)
  }
}
