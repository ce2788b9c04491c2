import type { ServiceContext } from '../../../services/context';
import { getMemberFeeCertificate } from '../../../services/feeCertificate';
import { getTaxFile, getTaxRun, listTaxYears, memberFeeStatement, startTaxReport } from '../../../services/taxReport';
import { taxReportRoutes as contract } from '../contract/taxReport';
import { implement } from '../routing';

/** The annual report of fees paid, its corrections, and the member's fee statement and certificate. */
export function taxReportRoutes(ctx: ServiceContext) {
  return [
    implement(contract.startTaxReport, async (c, { body }) => {
      const run = await startTaxReport(ctx, c.get('principal'), body);
      return { status: 201, json: run, headers: { Location: `/api/v1/tax-reports/${run.id}` } };
    }),
    implement(contract.listTaxYears, async (c) => ({ status: 200, json: await listTaxYears(ctx, c.get('principal')) })),
    implement(contract.getTaxRun, async (c, { params }) => ({ status: 200, json: await getTaxRun(ctx, c.get('principal'), params.id) })),
    implement(contract.getTaxFile, async (c, { params }) => {
      const { filename, bytes } = await getTaxFile(ctx, c.get('principal'), params.id);
      return { status: 200, body: bytes, contentType: 'text/plain; charset=iso-8859-1', headers: { 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'private, no-store' } };
    }),
    implement(contract.getMemberFeeStatement, async (c, { params, query }) => {
      const subject = c.req.header('subject-identity-code');
      return { status: 200, json: await memberFeeStatement(ctx, c.get('principal'), params.id, { ...(query.year ? { year: query.year } : {}), ...(subject ? { subjectIdentityCode: subject } : {}) }) };
    }),
    implement(contract.getMemberFeeCertificate, async (c, { params, query }) => {
      const subject = c.req.header('subject-identity-code');
      const { filename, bytes } = await getMemberFeeCertificate(ctx, c.get('principal'), params.id, query.year, subject);
      return { status: 200, body: bytes, contentType: 'application/pdf', headers: { 'Content-Disposition': `inline; filename="${filename}"`, 'Cache-Control': 'private, no-store' } };
    }),
  ];
}
