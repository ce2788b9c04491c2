/**
 * Membership fees per year as the fund sets them: listed for billing users and administrators,
 * set by administrators. The register's value for a year overrides the fund profile's shipped one
 * and survives upgrades; a year a billing run has used is fixed, so no invoice and no later run of
 * that year disagrees with the fee its run was approved with.
 */
import { recordAudit } from '../db/repositories/audit';
import * as repo from '../db/repositories/feeYears';
import { feeRuleForYear, fullYearFeeCents, withFeeYears, type FeeModel, type FeeYear } from '../domain/billing/fees';
import type { ServiceContext } from './context';
import { failure, ServiceError } from './errors';
import { actorOf, hasRole, type Principal } from './principal';

export interface FeeYearView {
  year: number;
  model: FeeModel;
  monthlyCents: number | null;
  yearlyCents: number | null;
  /** What a member pays for a whole year. */
  fullYearCents: number;
  confirmed: boolean;
  /** 'register': set by the fund here; 'profile': the value shipped with the fund profile. */
  source: 'register' | 'profile';
  note: string | null;
  setBy: string | null;
  setAt: string | null;
  /** Billing runs that used this year's fee; while there are any, the fee cannot change. */
  lockedBy: string[];
}

export interface SetFeeYearInput {
  model: FeeModel;
  /** Cents per month of membership ('per-month'). */
  monthlyCents?: number;
  /** Cents per year, charged by month of membership ('per-year-by-month'). */
  yearlyCents?: number;
  confirmed: boolean;
  note: string;
}

function requireReader(p: Principal) {
  if (!hasRole(p, 'billing', 'admin')) throw failure(403, 'fee_years_role_required', 'Membership fees are for billing users and administrators.');
}

function invalid(field: string, reason: string, code: string, params: Record<string, string | number> = {}): ServiceError {
  return failure(400, code, `${field}: ${reason}`, { params, invalidParams: [{ name: field, reason }] });
}

function view(year: number, rule: FeeYear, row: repo.FeeYearRow | undefined, lockedBy: string[]): FeeYearView {
  return {
    year,
    model: rule.model,
    monthlyCents: rule.model === 'per-month' ? (rule.monthlyCents ?? null) : null,
    yearlyCents: rule.model === 'per-year-by-month' ? (rule.yearlyCents ?? null) : null,
    fullYearCents: fullYearFeeCents(rule),
    confirmed: rule.confirmed,
    source: row ? 'register' : 'profile',
    note: row?.note ?? null,
    setBy: row?.setBy ?? null,
    setAt: row?.setAt.toISOString() ?? null,
    lockedBy,
  };
}

/** Every fee year the fund has, shipped and set here, newest first. */
export async function listFeeYears(ctx: ServiceContext, p: Principal): Promise<{ items: FeeYearView[] }> {
  requireReader(p);
  const rows = await repo.listFeeYears(ctx.db, ctx.profile.id);
  const effective = withFeeYears(ctx.profile, await repo.registerFeeYears(ctx.db, ctx.profile.id));
  const byYear = new Map(rows.map((r) => [r.year, r]));
  const years = Object.keys(effective.fees.years).map(Number).sort((a, b) => b - a);
  const items = await Promise.all(
    years.map(async (year) => view(year, feeRuleForYear(effective, year), byYear.get(year), (await repo.runsHoldingFeeYear(ctx.db, year)).map((r) => r.id))),
  );
  return { items };
}

/**
 * Sets the fund's fee for a year (administrators). Refused with 409 while a billing run of the
 * year exists (approved or on its way there): reject that run first, or leave the year as it is.
 */
export async function setFeeYear(ctx: ServiceContext, p: Principal, year: number, input: SetFeeYearInput): Promise<FeeYearView> {
  if (!hasRole(p, 'admin')) throw failure(403, 'fee_years_admin_only', 'Only administrators may set membership fees.');
  if (input.model === 'per-month' && input.monthlyCents === undefined) throw invalid('monthlyCents', 'is required for the per-month model', 'monthly_cents_required');
  if (input.model === 'per-year-by-month' && input.yearlyCents === undefined) throw invalid('yearlyCents', 'is required for the per-year-by-month model', 'yearly_cents_required');
  if (input.model === 'per-month' && input.yearlyCents !== undefined) throw invalid('yearlyCents', 'belongs to the per-year-by-month model; send monthlyCents', 'yearly_cents_wrong_model');
  if (input.model === 'per-year-by-month' && input.monthlyCents !== undefined) throw invalid('monthlyCents', 'belongs to the per-month model; send yearlyCents', 'monthly_cents_wrong_model');
  const rule: FeeYear = input.model === 'per-month' ? { model: 'per-month', monthlyCents: input.monthlyCents!, confirmed: input.confirmed } : { model: 'per-year-by-month', yearlyCents: input.yearlyCents!, confirmed: input.confirmed };
  // The domain's own check of the figures, so the register never holds a fee billing would refuse.
  try {
    feeRuleForYear(withFeeYears(ctx.profile, { [String(year)]: rule }), year);
  } catch (error) {
    throw invalid(input.model === 'per-month' ? 'monthlyCents' : 'yearlyCents', (error as Error).message, 'fee_amount_invalid');
  }
  const actor = actorOf(p);
  return ctx.db.transaction(async (tx) => {
    await repo.lockFeeYear(tx, ctx.profile.id, year);
    const before = await repo.findFeeYear(tx, ctx.profile.id, year);
    const holding = await repo.runsHoldingFeeYear(tx, year);
    if (holding.length > 0) {
      throw failure(409, 'fee_year_fixed', `The fee for ${year} is fixed: billing run ${holding[0]!.id} (${holding[0]!.status}) uses it. Reject that run first, or leave ${year} as it is.`, { params: { year, runId: holding[0]!.id }, extra: { runId: holding[0]!.id } });
    }
    const saved = await repo.upsertFeeYear(tx, { fundId: ctx.profile.id, year, ...rule, monthlyCents: rule.monthlyCents ?? null, yearlyCents: rule.yearlyCents ?? null, note: input.note.trim(), setBy: actor.actor });
    await recordAudit(tx, {
      ...actor,
      action: 'fee-year.set',
      entityType: 'fee-year',
      entityId: `${ctx.profile.id}/${year}`,
      details: { before: before ? repo.toFeeYear(before) : (ctx.profile.fees.years[String(year)] ?? null), after: rule, note: input.note.trim() },
    });
    return view(year, rule, saved, []);
  });
}
