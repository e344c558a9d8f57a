import type { FeatureTerms } from '../role-definition.ts'

const STOPWORDS = new Set(
  ('a an and are as at be been but by can could do does for from has have how i if in into is it its let lets ' +
    'may me more most must my no not of on or our out over per should so some such than that the their them then ' +
    'there these they this those to too up us use used using via was we were what when where which while who will ' +
    'with within without would you your new feature add adds support supports allow allows able want wants need needs ' +
    'user users page also each every all any get gets one two way ways make makes sure just like etc')
    .split(' '),
)

/** Verbs a feature description commonly leads with; anything else reads as a noun. */
const VERBS = new Set(
  ('create edit update delete remove export import upload download send notify search filter sort share invite ' +
    'schedule sync track pay bill approve reject review publish archive restore merge assign comment tag rate ' +
    'book cancel subscribe unsubscribe login logout sign register verify reset encrypt audit report monitor ' +
    'generate render preview compare convert translate store cache retry queue process migrate backup recover ' +
    'authenticate authorize configure deploy scale manage view list browse print remind follow like vote')
    .split(' '),
)

function singular(word: string): string {
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`
  if (/(ss|us|is)$/.test(word)) return word
  if (word.endsWith('s') && word.length > 3) return word.slice(0, -1)
  return word
}

function plural(word: string): string {
  if (word.endsWith('y') && !/[aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`
  return `${word}s`
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z][a-z0-9]*/g) ?? []
}

/**
 * Pulls the words a feature is about out of its name and description. Name words
 * weigh more than description words, later name words slightly more; ties keep first-seen order. Never throws.
 */
export function extractFeatureTerms(name: string, description: string): FeatureTerms {
  const weight = new Map<string, number>()
  const add = (w: string, by: number): void => {
    if (w.length < 3 || STOPWORDS.has(w)) return
    const key = VERBS.has(w) ? w : singular(w)
    weight.set(key, (weight.get(key) ?? 0) + by)
  }
  // In an English compound the last word is the head ("team chat" is about chats), so later name words weigh a little more.
  words(name).forEach((w, i) => add(w, 3 + i * 0.1))
  for (const w of words(description)) add(w, 1)
  const keywords = [...weight.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w)
  const verbs = keywords.filter((w) => VERBS.has(w))
  const nouns = keywords.filter((w) => !VERBS.has(w))
  const entities = (nouns.length > 0 ? nouns : ['item']).slice(0, 3).map((n) => n.charAt(0).toUpperCase() + n.slice(1))
  const firstSentence = description.trim().split(/(?<=[.!?])\s+/)[0]?.trim() ?? ''
  const summary = firstSentence.length > 0 ? firstSentence.slice(0, 300) : `${name.trim()}.`
  return {
    name: name.trim() || 'Untitled feature',
    summary: /[.!?]$/.test(summary) ? summary : `${summary}.`,
    keywords: keywords.slice(0, 12),
    nouns: nouns.slice(0, 8),
    verbs: verbs.slice(0, 5),
    entities,
    resource: plural((nouns[0] ?? 'item').toLowerCase()),
  }
}
