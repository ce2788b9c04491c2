import { helsinkiDate } from '../domain/dates';
import { renderFeeCertificatePdf } from '../integrations/transforms/feeCertificatePdf';
import type { ServiceContext } from './context';
import { memberFeeStatement } from './taxReport';

/** The member's fee certificate of `year` as a PDF in their language (the statement's read is audited). */
export async function getMemberFeeCertificate(ctx: ServiceContext, p: Parameters<typeof memberFeeStatement>[1], memberId: string, year: number, subjectIdentityCode?: string) {
  const statement = await memberFeeStatement(ctx, p, memberId, { year, ...(subjectIdentityCode ? { subjectIdentityCode } : {}) });
  const ofYear = statement.years.find((y) => y.year === year);
  const language = statement.language === 'sv' || statement.language === 'en' ? statement.language : 'fi';
  const bytes = renderFeeCertificatePdf({
    language,
    fundName: ctx.profile.name[language],
    fundBusinessId: ctx.profile.businessId,
    memberName: statement.name,
    memberNumber: statement.memberNumber,
    year,
    netCents: Math.max(0, ofYear?.netCents ?? 0),
    reported: ofYear?.reported ? { amountCents: ofYear.reported.amountCents, sentOn: ofYear.reported.sentAt ? helsinkiDate(ofYear.reported.sentAt) : null } : null,
    issuedOn: ctx.today(),
  });
  return { filename: `fee-certificate-${statement.memberNumber}-${year}.pdf`, bytes };
}
