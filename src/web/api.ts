const tokenKey = 'traceprop.token';

/** The bearer token of this tab (sessionStorage: gone when the tab closes), or null. */
export function storedToken(): string | null {
  return sessionStorage.getItem(tokenKey);
}

/** Keeps the token for this tab. */
export function storeToken(token: string): void {
  sessionStorage.setItem(tokenKey, token.trim());
}

/** Forgets the token. */
export function forgetToken(): void {
  sessionStorage.removeItem(tokenKey);
}

/** An API answer that was not 2xx, with the server's error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * GETs an `/api` path with the stored token as `Authorization: Bearer …` and returns its JSON.
 * Throws {@link ApiError} with the server's `{error: {code, message}}`; a 401 also forgets the
 * token, so the page asks for one again.
 */
// biome-ignore lint/suspicious/noExplicitAny: answers are plain JSON, read field by field by each view
export async function getJson(path: string): Promise<any> {
  const token = storedToken();
  const response = await fetch(path, {
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (response.status === 401) forgetToken();
    throw new ApiError(
      response.status,
      error?.code ?? 'http',
      error?.message ?? `${response.status} ${text}`,
    );
  }
  return body;
}
