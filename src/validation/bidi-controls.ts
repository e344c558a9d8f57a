// The embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): text holding
// one can reorder what is displayed after it ("exe.txt" shown for "txt.exe").
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g

/** True when `text` holds a bidirectional embedding, override or isolate control. */
export function hasBidiControl(text: string): boolean {
  return BIDI_CONTROL.test(text)
}

/** `text` without its bidirectional embedding, override and isolate controls. Never throws. */
export function withoutBidiControls(text: string): string {
  return BIDI_CONTROL.test(text) ? text.replace(BIDI_CONTROLS, '') : text
}
