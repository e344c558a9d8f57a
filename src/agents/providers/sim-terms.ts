import type nlpModule from 'compromise/two'
import type { FeatureTerms } from '../role-definition.ts'

/**
 * Actions the simulated provider may name in an endpoint or a button (`POST /api/invoices/:id/export`):
 * transitive verbs a user does to a thing. A verb of the brief outside this list is left out.
 */
const ACTIONS = new Set(
  ('create edit update delete remove export import upload download send notify search filter sort share invite ' +
    'schedule sync track pay bill approve reject review publish archive restore merge assign comment tag rate ' +
    'book cancel subscribe unsubscribe verify reset encrypt audit report monitor generate render preview compare ' +
    'convert translate store cache retry queue process migrate backup recover configure print remind follow ' +
    'vote crop resize rotate revoke refund charge invoice reconcile sign upgrade renew close open reopen')
    .split(' '),
)

/**
 * Nouns that name the product around a feature rather than what it is about: never the feature's
 * resource (an API about "the public API" is not `/api/apis`).
 */
const GENERIC = new Set(
  ('api app application feature title thing way system page screen site website platform tool service ' +
    'interface ui ux support ability option functionality data information mode user person people ' +
    'time day hour minute second week month year lot number part kind type case example end way ' +
    'team member customer client admin administrator company everyone someone anyone')
    .split(' '),
)

interface Methods {
  two: {
    transform: {
      noun: { toPlural(word: string, model: object): string; toSingular(word: string, model: object): string }
      verb: { toInfinitive(word: string, model: object, tense?: string): string }
    }
  }
}

/** compromise's tagger and the parts of its model this file reads. */
interface World {
  nlp: typeof nlpModule
  model: object
  methods: Methods
  /** The default tag of each known word (`chat`: Infinitive). */
  lexicon: Record<string, string | undefined>
  /** The tags an ambiguous word may take (`limit`: Noun|Verb). */
  switches: Record<string, string | undefined>
}

let loaded: World | null = null

/**
 * compromise, loaded on the first brief (a synchronous require, as this file's API is): only a
 * process whose agents run on the simulated provider pays for its model (~40 MB, 0.5-2 s).
 * `import.meta.require`, not `createRequire` from `node:module`: importing that module kept the
 * service's actor node from starting.
 */
function world(): World {
  if (loaded) return loaded
  const nlp = import.meta.require('compromise/two') as typeof nlpModule
  const model = nlp.model() as { one: { lexicon: Record<string, string | undefined> }; two: { switches: Record<string, string | undefined> } }
  loaded = { nlp, model, methods: nlp.methods() as unknown as Methods, lexicon: model.one.lexicon, switches: model.two.switches }
  return loaded
}

/** One word of the brief as compromise tagged it; a hyphenated group (`two-factor`) is one token. */
interface Token {
  normal: string
  tags: Set<string>
  /** Punctuation after the word: a `,` `;` `.` ends a phrase. */
  post: string
  /** A hyphenated group (`two-factor`, `per-key`): a modifier, never a phrase's head. */
  hyphenated: boolean
}

/** A noun phrase of the brief: its noun modifiers and its head, singular, lower case. */
interface Phrase {
  words: string[]
  /** False for an activity (`rate limiting`, `editing`) or a mass noun (`feedback`). */
  countable: boolean
  /** For an activity: the verb it names (`edit` for `editing`). */
  activity: string | null
  /** A product word (`api`, `user`) or an acronym (`CSV`): never the subject. */
  generic: boolean
  /** Written in the plural, or after a/an/each/every: evidence that the brief counts it. */
  counted: boolean
  /** The verb right before it in its sentence (`edit` in "edit the same document"), if any. */
  after: string | null
}

function tokensOf(text: string): Token[][] {
  const doc = world().nlp(text) as unknown as { docs: Array<Array<{ normal: string; post: string; tags?: Set<string> }>> }
  return doc.docs.map((sentence) => {
    const out: Token[] = []
    let group: Array<{ normal: string; post: string; tags?: Set<string> }> = []
    for (const term of sentence) {
      group.push(term)
      if (term.post === '-') continue
      const last = group[group.length - 1] as (typeof group)[number]
      const first = group[0] as (typeof group)[number]
      const tags = new Set(last.tags ?? [])
      if (group.length > 1 && first.tags?.has('Preposition')) tags.add('Preposition')
      out.push({ normal: group.map((t) => t.normal).join('-'), tags, post: last.post, hyphenated: group.length > 1 })
      group = []
    }
    return out
  })
}

const lexiconOf = (word: string): string => `${world().lexicon[word] ?? ''}|${world().switches[word] ?? ''}`

function isNoun(t: Token): boolean {
  return t.tags.has('Noun') && !t.tags.has('Pronoun') && !t.tags.has('Possessive') && !t.tags.has('Date') && !t.tags.has('Person') && !t.tags.has('Value')
}

const ENDS_PHRASE = /[,;:.!?()]/
const COUNTING = new Set(['a', 'an', 'each', 'every', 'another', 'many', 'several', 'multiple'])

function infinitive(word: string, tense?: string): string {
  return world().methods.two.transform.verb.toInfinitive(word, world().model, tense)
}

function singular(word: string): string {
  return world().methods.two.transform.noun.toSingular(word, world().model)
}

function plural(word: string): string {
  return world().methods.two.transform.noun.toPlural(word, world().model)
}

/**
 * Builds a phrase from tokens whose last one is the head. An -ing head the brief does not count is
 * an activity: `rate limiting` becomes `rate limit` when the verb is mainly a verb that also names a
 * thing (the lexicon's Noun|Verb), otherwise it stays uncountable (`editing`).
 */
function phraseOf(tokens: Token[], counted: boolean, after: string | null): Phrase | null {
  const kept = tokens.slice(-3)
  const head = kept[kept.length - 1]
  if (!head || head.hyphenated || head.normal.length < 3) return null
  let word = head.tags.has('Plural') ? singular(head.normal) : head.normal
  let countable = !head.tags.has('Uncountable') && !head.tags.has('Acronym')
  let activity: string | null = null
  if (/ing$/.test(word) && !head.tags.has('Plural') && !/Singular/.test(world().lexicon[word] ?? '')) {
    const base = infinitive(word, 'Gerund')
    if (base && base !== word && /Infinitive|Verb/.test(lexiconOf(base))) {
      activity = base
      if (/^Infinitive\|.*Noun/.test(lexiconOf(base))) word = base
      else countable = false
    }
  }
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(word)) return null
  const modifiers = kept.slice(0, -1).map((t) => t.normal).filter((w) => /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(w))
  return {
    words: [...modifiers, word],
    countable,
    activity,
    generic: GENERIC.has(word) || head.tags.has('Acronym'),
    counted: counted || head.tags.has('Plural'),
    after,
  }
}

/** The noun phrases of a sentence: runs of nouns (with hyphenated modifiers), cut at punctuation. */
function sentencePhrases(sentence: Token[]): Phrase[] {
  const found: Phrase[] = []
  let run: Token[] = []
  let counted = false
  let verb: string | null = null
  let after: string | null = null
  const close = (): void => {
    // A run may not end on a hyphenated modifier (`real-time`) nor start with a preposition group (`per-key`).
    while (run.length > 0 && (run[run.length - 1] as Token).hyphenated) run.pop()
    while (run.length > 0 && (run[0] as Token).tags.has('Preposition')) run.shift()
    const phrase = run.length > 0 ? phraseOf(run, counted, after) : null
    if (phrase) found.push(phrase)
    run = []
    counted = false
  }
  for (const t of sentence) {
    const nounish = isNoun(t) || (t.hyphenated && !t.tags.has('Verb'))
    if (nounish) {
      if (run.length === 0) after = verb
      run.push(t)
    } else {
      close()
      if (COUNTING.has(t.normal)) counted = true
      if (t.tags.has('Verb') && !t.tags.has('Gerund')) verb = infinitive(t.normal)
      else if (!t.tags.has('Determiner') && !t.tags.has('Adjective')) verb = null
    }
    if (ENDS_PHRASE.test(t.post)) {
      close()
      verb = null
    }
  }
  close()
  return found
}

/** A word of a name read as a noun: "chat" in "Team chat", "retries" in "Webhook delivery retries". */
function asNoun(t: Token): Token {
  if (!t.tags.has('Verb') || t.tags.has('Gerund')) return t
  const pluralForm = t.tags.has('PresentTense') && /s$/.test(t.normal) && infinitive(t.normal) !== t.normal
  return { ...t, tags: new Set(['Noun', pluralForm ? 'Plural' : 'Singular']) }
}

/**
 * The phrases of a feature's name. A name is a noun phrase ("Team chat", "Rate limiting for the public
 * API"), sometimes after an imperative ("Export invoices to CSV"): a leading action verb followed by a
 * plural, a determiner or a noun is the action. Every word from there up to the first preposition,
 * conjunction or determiner is the head phrase (a noun compound, less its leading adjectives); the
 * rest is read as a sentence.
 */
function namePhrases(tokens: Token[]): { phrases: Phrase[]; action: string | null } {
  let start = 0
  let action: string | null = null
  const [first, next] = tokens
  if (first && next && first.tags.has('Verb') && !first.tags.has('Gerund') && !first.tags.has('PastTense')) {
    const verb = infinitive(first.normal)
    if (ACTIONS.has(verb) && (next.tags.has('Plural') || next.tags.has('Determiner') || isNoun(next))) {
      action = verb
      start = 1
    }
  }
  let end = start
  while (end < tokens.length) {
    const t = tokens[end] as Token
    if (t.tags.has('Preposition') || t.tags.has('Conjunction') || t.tags.has('Pronoun') || (t.tags.has('Determiner') && end > start)) break
    end++
    if (ENDS_PHRASE.test(t.post)) break
  }
  const head = tokens.slice(start, end).map(asNoun)
  while (head.length > 0 && ((head[0] as Token).tags.has('Determiner') || ((head[0] as Token).tags.has('Adjective') && !(head[0] as Token).tags.has('Noun')))) head.shift()
  while (head.length > 0 && (head[head.length - 1] as Token).hyphenated) head.pop()
  const headPhrase = head.length > 0 ? phraseOf(head, false, action) : null
  return { phrases: [...(headPhrase ? [headPhrase] : []), ...sentencePhrases(tokens.slice(end))], action }
}

const pascal = (words: string[]): string =>
  words
    .flatMap((w) => w.split('-'))
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')

const cache = new Map<string, FeatureTerms>()
const CACHE_SIZE = 256

/**
 * Pulls what a feature is about out of its name and description, from the noun phrases
 * compromise finds (offline, deterministic): the subject is the name's head noun phrase when it
 * is a countable, specific thing, else the brief's most frequent such phrase; never a verb, an
 * adjective, an acronym or a product word (`api`, `user`, `feature`) made plural. Never throws.
 */
export function extractFeatureTerms(name: string, description: string): FeatureTerms {
  const key = `${name}\u0000${description}`
  const hit = cache.get(key)
  if (hit) return hit
  // Shared between calls (roles of one session read the same brief): frozen, so nobody can change it for the next.
  let terms: FeatureTerms
  try {
    terms = computeTerms(name, description)
  } catch {
    // The tagger is not expected to throw on any text; if it does, neutral words keep the session going.
    terms = neutralTerms(name, description)
  }
  for (const list of [terms.keywords, terms.nouns, terms.verbs, terms.entities]) Object.freeze(list)
  Object.freeze(terms)
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string)
  cache.set(key, terms)
  return terms
}

function summaryOf(name: string, description: string): string {
  const firstSentence = description.trim().split(/(?<=[.!?])\s+/)[0]?.trim() ?? ''
  const summary = firstSentence.length > 0 ? firstSentence.slice(0, 300) : `${name.trim()}.`
  return /[.!?]$/.test(summary) ? summary : `${summary}.`
}

function neutralTerms(name: string, description: string): FeatureTerms {
  const summary = summaryOf(name, description)
  return { name: name.trim() || 'Untitled feature', summary, keywords: [], nouns: [], verbs: [], entities: ['Item'], subject: 'item', subjects: 'items', resource: 'items' }
}

function computeTerms(name: string, description: string): FeatureTerms {
  const nameTokens = tokensOf(name.trim()).flat()
  const { phrases: fromName, action } = namePhrases(nameTokens)
  const descSentences = description.trim() ? tokensOf(description) : []
  const fromDescription = descSentences.flatMap(sentencePhrases)

  // Description phrases by how often they occur, then by evidence the brief counts them, then first seen.
  const stats = new Map<string, { phrase: Phrase; count: number; counted: boolean; first: number }>()
  fromDescription.forEach((p, i) => {
    const k = p.words.join(' ')
    const s = stats.get(k)
    if (s) {
      s.count++
      s.counted ||= p.counted
    } else stats.set(k, { phrase: p, count: 1, counted: p.counted, first: i })
  })
  const ranked = [...stats.values()].sort((a, b) => b.count - a.count || Number(b.counted) - Number(a.counted) || a.first - b.first).map((s) => s.phrase)
  const candidates: Phrase[] = []
  const seen = new Set<string>()
  for (const p of [...fromName, ...ranked]) {
    const k = p.words.join(' ')
    if (!seen.has(k)) {
      seen.add(k)
      candidates.push(p)
    }
  }
  const specific = candidates.filter((p) => !p.generic)
  const first = specific[0]
  // An activity ("collaborative editing") is about what its verb acts on in the brief ("edit the same document").
  const object = first?.activity ? specific.find((p) => p.countable && p.after === first.activity) : undefined
  const subjectPhrase = object ?? specific.find((p) => p.countable) ?? first ?? null
  // A thing the brief names but does not count (`billing`) gets countable records of it.
  const subjectWords = subjectPhrase ? (subjectPhrase.countable ? subjectPhrase.words : [...subjectPhrase.words, 'record']) : ['item']
  const head = subjectWords[subjectWords.length - 1] as string
  const pluralWords = [...subjectWords.slice(0, -1), plural(head)]
  const others = specific.filter((p) => p !== subjectPhrase && p.countable && p.words[p.words.length - 1] !== head)
  const entities = [subjectWords, ...others.slice(0, 2).map((p) => p.words)].map(pascal)

  // Actions: the name's leading verb, then each verb of the brief whose object is the subject
  // ("export invoices", "book an appointment"), as far as it is a thing users do to records.
  const verbs: string[] = []
  for (const v of [action, ...[...fromName, ...fromDescription].filter((p) => p.words[p.words.length - 1] === head).map((p) => p.after)]) {
    if (v && ACTIONS.has(v) && !verbs.includes(v)) verbs.push(v)
  }
  const nouns = candidates.map((p) => p.words.join(' '))
  return {
    name: name.trim() || 'Untitled feature',
    summary: summaryOf(name, description),
    keywords: [...nouns, ...verbs].slice(0, 12),
    nouns: nouns.slice(0, 8),
    verbs: verbs.slice(0, 5),
    entities,
    subject: subjectWords.join(' '),
    subjects: pluralWords.join(' '),
    resource: pluralWords.join('-'),
  }
}
