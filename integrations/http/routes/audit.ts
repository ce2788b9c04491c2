import { auditLogCsv, readAuditLog } from '../../../services/auditLog';
import type { ServiceContext } from '../../../services/context';
import { auditRoutes as contract } from '../contract/audit';
import { implement, type Reply } from '../routing';

/** The audit log for auditors: a page as JSON, or the whole filtered log (capped) as CSV. */
export function auditRoutes(ctx: ServiceContext) {
  return [
    implement(contract.getAuditLog, async (c, { query }): Promise<Reply<typeof contract.getAuditLog>> => {
      const { format, ...filters } = query;
      if (format === 'csv') {
        const { items } = await readAuditLog(ctx, c.get('principal'), filters, { format: 'csv' });
        return { status: 200, body: auditLogCsv(items), contentType: 'text/csv; charset=utf-8', headers: { 'Content-Disposition': 'attachment; filename="audit-log.csv"', 'Cache-Control': 'no-store' } };
      }
      return { status: 200, json: await readAuditLog(ctx, c.get('principal'), filters), headers: { 'Cache-Control': 'no-store' } };
    }),
  ];
}
