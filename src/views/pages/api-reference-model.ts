/** What the API reference page shows, read from the OpenAPI document: pure, no I/O. */

/** A piece of a type as the page writes it; `ref` names a schema the piece links to. */
export interface TypePart {
  text: string
  ref?: string
}

/** One field of a schema; nested fields have dotted names (`sessions.total`, `roles[].agent_role`). */
export interface FieldRow {
  name: string
  type: TypePart[]
  required: boolean
  description: string
}

export interface OperationModel {
  id: string
  method: string
  path: string
  summary: string
  description: string
  auth: string
  parameters: Array<{ name: string; location: string; required: boolean; type: TypePart[] }>
  body: TypePart[] | null
  /** The request body's fields when it is an object written in place. */
  body_fields: FieldRow[]
  responses: Array<{ status: string; description: string; media: string; type: TypePart[] | null }>
}

export interface ApiReferenceModel {
  title: string
  version: string
  description: string
  license: string
  servers: string[]
  groups: Array<{ tag: string; description: string; operations: OperationModel[] }>
  schemas: Array<{ name: string; description: string; type: TypePart[]; fields: FieldRow[] }>
}

type Json = Record<string, any>

const refName = (ref: string): string => ref.slice(ref.lastIndexOf('/') + 1)

/** How a JSON Schema reads as a type: `Session`, `string | null`, `array of Task`, `"dag" | "parallel"`. */
export function typeParts(schema: Json | undefined): TypePart[] {
  if (!schema || Object.keys(schema).filter((k) => k !== 'description').length === 0) return [{ text: 'any JSON' }]
  if (typeof schema.$ref === 'string') return [{ text: refName(schema.$ref), ref: refName(schema.$ref) }]
  if ('const' in schema) return [{ text: JSON.stringify(schema.const) }]
  if (Array.isArray(schema.enum)) return [{ text: schema.enum.map((v: unknown) => JSON.stringify(v)).join(' | ') }]
  const union = schema.anyOf ?? schema.oneOf
  if (Array.isArray(union)) return union.flatMap((s: Json, i: number) => (i === 0 ? typeParts(s) : [{ text: ' | ' }, ...typeParts(s)]))
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'object']
  return types.flatMap((t, i) => {
    const sep = i === 0 ? [] : [{ text: ' | ' }]
    if (t === 'array') return [...sep, { text: 'array of ' }, ...typeParts(schema.items)]
    if (t === 'string' && schema.format) return [...sep, { text: `string (${schema.format})` }]
    return [...sep, { text: t }]
  })
}

/** The rows of an object schema, nested objects flattened with dotted names. */
export function fieldRows(schema: Json, prefix = ''): FieldRow[] {
  const required = new Set<string>(schema.required ?? [])
  return Object.entries((schema.properties ?? {}) as Record<string, Json>).flatMap(([name, field]) => {
    const row: FieldRow = { name: prefix + name, type: typeParts(field), required: required.has(name), description: field.description ?? '' }
    if (field.type === 'object' && field.properties) return [row, ...fieldRows(field, `${prefix}${name}.`)]
    if (field.type === 'array' && field.items?.type === 'object' && field.items.properties) return [row, ...fieldRows(field.items, `${prefix}${name}[].`)]
    return [row]
  })
}

function authText(security: Array<Record<string, string[]>> | undefined): string {
  if (!security || security.length === 0) return 'Public: no login needed.'
  return security
    .map((s) => {
      const names = Object.keys(s)
      if (names.includes('bearerToken')) return 'an API token (Authorization: Bearer)'
      return names.includes('csrfToken') ? 'the login cookie with X-CSRF-Token' : 'the login cookie'
    })
    .join(', or ')
    .replace(/^./, (c) => c.toUpperCase())
}

function operationModel(doc: Json, method: string, path: string, op: Json): OperationModel {
  const responses = Object.entries((op.responses ?? {}) as Record<string, Json>).map(([status, r]) => {
    const response = typeof r.$ref === 'string' ? (doc.components?.responses?.[refName(r.$ref)] ?? {}) : r
    const [media, content] = Object.entries((response.content ?? {}) as Record<string, Json>)[0] ?? ['', null]
    return { status, description: response.description ?? '', media, type: content ? typeParts(content.schema) : null }
  })
  const bodySchema: Json | undefined = op.requestBody?.content?.['application/json']?.schema
  return {
    id: op.operationId ?? '',
    method: method.toUpperCase(),
    path,
    summary: op.summary ?? '',
    description: op.description ?? '',
    auth: authText(op.security),
    parameters: ((op.parameters ?? []) as Json[]).map((p) => ({ name: p.name, location: p.in, required: Boolean(p.required), type: typeParts(p.schema) })),
    body: op.requestBody ? typeParts(bodySchema) : null,
    body_fields: bodySchema?.properties ? fieldRows(bodySchema) : [],
    responses,
  }
}

/** The page's model of `doc`: operations grouped by their first tag (in the document's tag order), then the named schemas. */
export function apiReferenceModel(doc: Json): ApiReferenceModel {
  const tags: Array<{ name: string; description?: string }> = doc.tags ?? []
  const groups = tags.map((t) => ({ tag: t.name, description: t.description ?? '', operations: [] as OperationModel[] }))
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] ?? 'other'
      let group = groups.find((g) => g.tag === tag)
      if (!group) groups.push((group = { tag, description: '', operations: [] }))
      group.operations.push(operationModel(doc, method, path, op))
    }
  }
  const schemas = Object.entries((doc.components?.schemas ?? {}) as Record<string, Json>).map(([name, s]) => ({
    name,
    description: s.description ?? '',
    type: typeParts({ ...s, description: undefined }),
    fields: fieldRows(s.type === 'array' && s.items?.properties ? s.items : s),
  }))
  return {
    title: doc.info?.title ?? 'API',
    version: doc.info?.version ?? '',
    description: doc.info?.description ?? '',
    license: doc.info?.license?.name ?? '',
    servers: ((doc.servers ?? []) as Json[]).map((s) => s.url),
    groups: groups.filter((g) => g.operations.length > 0),
    schemas,
  }
}

/** A piece of prose: plain text, or `code` between backticks. */
export interface ProsePart {
  text: string
  code: boolean
}

/** Splits text on backticks, as the document's descriptions mark code. */
export function proseParts(text: string): ProsePart[] {
  return text
    .split('`')
    .map((part, i) => ({ text: part, code: i % 2 === 1 }))
    .filter((p) => p.text !== '')
}
