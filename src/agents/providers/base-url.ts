/**
 * `url` with `/v1` appended when it has no path (`http://localhost:11434` → `…/v1`), since
 * both SDKs expect the versioned base; a URL with a path is kept as given, minus a trailing slash.
 */
export function versionedBaseUrl(url: string): string {
  const parsed = new URL(url)
  if (parsed.pathname === '/' || parsed.pathname === '') return `${parsed.origin}/v1`
  return url.replace(/\/+$/, '')
}
