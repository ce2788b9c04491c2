import { Hono } from 'hono';
import type { ServiceContext } from '../../../services/context';
import type { AppEnv } from '../auth';

/** Billing runs: start, preview, progress; filled in by the billing slice. */
export function billingRoutes(_ctx: ServiceContext) {
  return new Hono<AppEnv>();
}
