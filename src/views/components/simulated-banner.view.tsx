/** The banner's text, also quoted in README: what simulated output is and how to get a real model's. */
export const SIMULATED_BANNER_TEXT = {
  title: 'Simulated output',
  body:
    "The agents' contributions on this page were written by Sage Mode's built-in simulated model: offline, " +
    'deterministic, assembled from the words of the feature brief. They show how a session flows; they are not ' +
    'a design to build from.',
  howTo:
    'To have a language model write them, start Sage Mode with MODEL_PROVIDER=openai (OpenAI or any ' +
    'OpenAI-compatible server: OPENAI_API_KEY, or OPENAI_BASE_URL and MODEL_NAME) or MODEL_PROVIDER=anthropic ' +
    '(ANTHROPIC_API_KEY), then start a new session.',
} as const

/**
 * Whether a task's recorded `model` is the simulated provider's: `simulated`, or `simulated/<name>`
 * when `MODEL_NAME` or `MODEL_OVERRIDES` named one.
 */
export function isSimulatedModel(model: string | null | undefined): boolean {
  return model === 'simulated' || (model ?? '').startsWith('simulated/')
}

/** Props of {@link SimulatedBanner}. */
export interface SimulatedBannerProps {
  /** The recorded `model` of every task whose output the page shows (null while a task has none). */
  models: ReadonlyArray<string | null | undefined>
}

/** Says once, plainly, that the page shows simulated output and how to use a real model; nothing when no model is simulated. */
export function SimulatedBanner(props: SimulatedBannerProps): JSX.Element {
  if (!props.models.some(isSimulatedModel)) return ''
  return (
    <aside id="simulated-banner" class="alert alert-info" role="note" aria-labelledby="simulated-banner-title">
      <span class="alert-icon" aria-hidden="true">
        i
      </span>
      <div>
        <p id="simulated-banner-title" class="font-semibold">
          {SIMULATED_BANNER_TEXT.title}
        </p>
        <p safe>{SIMULATED_BANNER_TEXT.body}</p>
        <p safe>{SIMULATED_BANNER_TEXT.howTo}</p>
      </div>
    </aside>
  )
}
