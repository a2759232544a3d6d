/**
 * The API token, for this tab only: sessionStorage (gone when the tab closes), never localStorage
 * or a cookie, so a token typed into the dashboard does not outlive the tab that uses it.
 */
const KEY = 'fda.token';

export function readToken(): string {
  try {
    return sessionStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function writeToken(token: string): void {
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused (a private window): the token then lives in memory only.
  }
}
