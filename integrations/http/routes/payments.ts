import { Hono } from 'hono';
import type { ServiceContext } from '../../../services/context';
import type { AppEnv } from '../auth';

/** Payment files, unmatched payments, ledger and bookkeeping export; filled in by the payments slice. */
export function paymentRoutes(_ctx: ServiceContext) {
  return new Hono<AppEnv>();
}
