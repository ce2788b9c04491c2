/** What the web server needs of the API app. */
export interface ApiApp {
  fetch(request: Request): Response | Promise<Response>;
}

/**
 * The SvelteKit server bundle and the process that starts it are separate module graphs,
 * so the API app is handed over through a global rather than a module-level variable.
 */
const key = Symbol.for('jasenrekisteri.apiApp');
type Holder = { [key]?: ApiApp };

export function registerApiApp(app: ApiApp): void {
  (globalThis as Holder)[key] = app;
}

export function registeredApiApp(): ApiApp | undefined {
  return (globalThis as Holder)[key];
}

/** The paths the API app answers; everything else is the desk's. */
export const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/') || path.startsWith('/auth/');
