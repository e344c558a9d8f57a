/**
 * Named prepared statements for node-postgres. Kysely sends every query as an unnamed
 * statement, so PostgreSQL parses and plans the same SQL text again on every call; the
 * actor runtime runs the same few dozen statements thousands of times a second. Giving
 * each distinct text a stable name makes pg parse it once per connection and then only
 * bind and execute it (and lets PostgreSQL keep a generic plan where that is as good).
 *
 * The set of names is bounded: texts vary with list lengths (`in ($1, $2, …)`, multi-row
 * inserts), so only the first `maxNames` distinct texts are named; the rest run unnamed,
 * exactly as before. Names are a hash of the text, the same on every connection.
 */

/** The part of a pg client this wraps. */
interface QueryableClient {
  query: (...args: never[]) => unknown
}

export interface StatementNames {
  /** The name for `text`, or undefined when it should run unnamed. */
  nameFor(text: string): string | undefined
  /** How many texts have a name. */
  readonly size: number
}

export function createStatementNames(maxNames: number): StatementNames {
  const names = new Map<string, string>()
  return {
    nameFor(text) {
      const known = names.get(text)
      if (known !== undefined) return known
      if (names.size >= maxNames) return undefined
      const name = `sage_${Bun.hash(text).toString(36)}`
      names.set(text, name)
      return name
    },
    get size() {
      return names.size
    },
  }
}

/**
 * Makes `client.query(text, values)` (the form Kysely uses) run as a named statement.
 * Queries without parameters keep pg's simple protocol (BEGIN, COMMIT, DDL); other call
 * forms (config objects, cursors) pass through untouched.
 */
export function useNamedStatements(client: QueryableClient, names: StatementNames): void {
  const original = client.query.bind(client) as (...args: unknown[]) => unknown
  client.query = ((...args: unknown[]) => {
    const [text, values] = args
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && args.length === 2) {
      const name = names.nameFor(text)
      if (name !== undefined) return original({ name, text, values })
    }
    return original(...args)
  }) as QueryableClient['query']
}
