import type { Hono } from 'hono';

/**
 * The SvelteKit server bundle and the process that starts it are separate module graphs,
 * so the API app is handed over through a global rather than a module-level variable.
 */
const key = Symbol.for('jasenrekisteri.apiApp');
type Holder = { [key]?: Hono<any> };

export function registerApiApp(app: Hono<any>): void {
  (globalThis as Holder)[key] = app;
}

export function registeredApiApp(): Hono<any> | undefined {
  return (globalThis as Holder)[key];
}
