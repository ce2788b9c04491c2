import { fail } from '@sveltejs/kit';
import { apiClient, failLoad, isApiError } from '$lib/server/api';
import { formatDate, t } from '$lib/i18n';
import { readValues } from '$lib/server/applicationForm';
import { failAction } from '$lib/server/actions';
import { ledgerAction } from '$lib/server/ledgerActions';
import { memberActionFailure, memberActionFields, toContactChange, toDeath, toFundSwitch, toResignation } from '$lib/server/memberActions';
import type { Actions, PageServerLoad } from './$types';

/** Roles the member page offers its actions to; the API still decides each one. */
const actingRoles = ['caseworker', 'supervisor'];
/** Roles offered the collection hold and resume (the API decides). */
const collectionHolders = ['caseworker', 'supervisor', 'billing'];
/** Roles offered the fund's fee exemptions of a direct member (the API decides). */
const exemptionGranters = ['caseworker', 'supervisor', 'billing'];

export const load: PageServerLoad = async ({ fetch, params, url, parent }) => {
  try {
    const api = apiClient(fetch);
    const [{ me }, member, ledger, hearings, collection, feeStatement, exemptions] = await Promise.all([
      parent(),
      api.memberOverview(params.id),
      // The ledger section is shown to whoever the API serves it to; any refusal just leaves it out.
      api.memberLedger(params.id).catch((e: unknown) => {
        if (isApiError(e) && e.status !== 401) return null;
        throw e;
      }),
      // Hearings for unpaid fees, their decisions and appeals; a refusal leaves the section empty.
      api.memberHearings(params.id).catch((e: unknown) => {
        if (isApiError(e) && e.status !== 401) return null;
        throw e;
      }),
      // The collection section likewise: shown to whoever the API serves it to.
      api.memberCollection(params.id).catch((e: unknown) => {
        if (isApiError(e) && e.status !== 401) return null;
        throw e;
      }),
      // Fees paid per year and what was reported to the Tax Administration, when the API serves it.
      api.memberFeeStatement(params.id).catch((e: unknown) => {
        if (isApiError(e) && e.status !== 401) return null;
        throw e;
      }),
      // Fee exemptions, the union's and the fund's, when the API serves them.
      api.memberExemptions(params.id).catch((e: unknown) => {
        if (isApiError(e) && e.status !== 401) return null;
        throw e;
      }),
    ]);
    return {
      member,
      ledger,
      hearings,
      collection,
      mayHold: collection !== null && me.roles.some((r) => collectionHolders.includes(r)),
      feeStatement,
      exemptions,
      // The fund exempts direct members only; a union member's exemptions come from the union.
      mayExempt: exemptions !== null && member.unionCode === null && me.roles.some((r) => exemptionGranters.includes(r)),
      mayAct: me.roles.some((r) => actingRoles.includes(r)),
      // Credit notes, write-offs and refunds are the billing role's (the API decides each one).
      mayLedger: ledger !== null && me.roles.includes('billing'),
      // One key per rendered form: a double click or a resent POST registers one notice, not two.
      keys: { resign: crypto.randomUUID(), fundSwitch: crypto.randomUUID() },
    };
  } catch (e) {
    failLoad(e, url);
  }
};

const keyed = (values: Record<string, string>) => {
  values.idempotencyKey ||= crypto.randomUUID();
  return values;
};

/** The text, and a received date only when the caseworker gave one. */
function caseText(form: FormData): { text: string; receivedOn?: string } {
  const text = String(form.get('text') ?? '').trim();
  const receivedOn = String(form.get('receivedOn') ?? '').trim();
  return { text, ...(receivedOn ? { receivedOn } : {}) };
}

export const actions: Actions = {
  explanation: async ({ fetch, params, request, url }) => {
    const form = await request.formData();
    try {
      await apiClient(fetch).recordExplanation(params.id, String(form.get('hearingId') ?? ''), caseText(form));
      return { action: 'hearing' as const, recorded: 'explanation' };
    } catch (e) {
      return failAction(e, url, { action: 'hearing' as const });
    }
  },
  appeal: async ({ fetch, params, request, url }) => {
    const form = await request.formData();
    try {
      await apiClient(fetch).recordAppeal(params.id, String(form.get('decisionId') ?? ''), caseText(form));
      return { action: 'hearing' as const, recorded: 'appeal' };
    } catch (e) {
      return failAction(e, url, { action: 'hearing' as const });
    }
  },
  samuRuling: async ({ fetch, params, request, url }) => {
    const form = await request.formData();
    const outcome = form.get('outcome') === 'overturned' ? 'overturned' : 'upheld';
    try {
      await apiClient(fetch).recordSamuRuling(params.id, String(form.get('appealId') ?? ''), { outcome, ruledOn: String(form.get('ruledOn') ?? '') });
      return { action: 'hearing' as const, recorded: 'samu' };
    } catch (e) {
      return failAction(e, url, { action: 'hearing' as const });
    }
  },
  holdCollection: async ({ fetch, params, request, url, locals }) => {
    const data = await request.formData();
    const values = { reason: String(data.get('reason') ?? ''), until: String(data.get('until') ?? '') };
    try {
      const hold = await apiClient(fetch).holdCollection(params.id, { reason: values.reason as 'payment-plan', until: values.until });
      return { action: 'collection' as const, done: t(locals.lang, 'collection.hold.done', { until: formatDate(locals.lang, hold.until) }) };
    } catch (e) {
      return failAction(e, url, { action: 'collection' as const, values });
    }
  },
  resumeCollection: async ({ fetch, params, url, locals }) => {
    try {
      await apiClient(fetch).resumeCollection(params.id);
      return { action: 'collection' as const, done: t(locals.lang, 'collection.resume.done') };
    } catch (e) {
      return failAction(e, url, { action: 'collection' as const, values: {} });
    }
  },
  grantExemption: async ({ fetch, params, request, url, locals }) => {
    const data = await request.formData();
    const values = { startDate: String(data.get('startDate') ?? '').trim(), endDate: String(data.get('endDate') ?? '').trim(), reason: String(data.get('reason') ?? '').trim() };
    try {
      const granted = await apiClient(fetch).grantExemption(params.id, { startDate: values.startDate, ...(values.endDate ? { endDate: values.endDate } : {}), reason: values.reason });
      return { action: 'exemption' as const, done: t(locals.lang, 'exemption.granted', { from: formatDate(locals.lang, granted.startDate) }) };
    } catch (e) {
      return failAction(e, url, { action: 'exemption' as const, values });
    }
  },
  endExemption: async ({ fetch, params, request, url, locals }) => {
    const data = await request.formData();
    const values = { exemptionId: String(data.get('exemptionId') ?? ''), endDate: String(data.get('endDate') ?? '').trim(), reason: String(data.get('reason') ?? '').trim() };
    try {
      const ended = await apiClient(fetch).endExemption(params.id, values.exemptionId, { endDate: values.endDate, reason: values.reason });
      return { action: 'exemption' as const, done: t(locals.lang, 'exemption.ended', { until: formatDate(locals.lang, ended.endDate) }) };
    } catch (e) {
      return failAction(e, url, { action: 'exemption' as const, values });
    }
  },
  ledger: async ({ fetch, params, request, url }) => ledgerAction(apiClient(fetch), params.id, await request.formData(), url),
  resign: async ({ fetch, params, request, url }) => {
    const values = keyed(readValues(await request.formData(), memberActionFields.resign));
    try {
      const resignation = await apiClient(fetch).resign(params.id, toResignation(values));
      return { action: 'resign' as const, resignation };
    } catch (e) {
      return memberActionFailure(e, url, 'resign', values);
    }
  },
  withdraw: async ({ fetch, params, request, url }) => {
    const values = readValues(await request.formData(), memberActionFields.withdraw);
    try {
      const resignation = await apiClient(fetch).withdrawResignation(params.id, values.resignationId ?? '', (values.reason ?? '').trim());
      return { action: 'withdraw' as const, resignation };
    } catch (e) {
      return memberActionFailure(e, url, 'withdraw', values);
    }
  },
  confirmRequest: async ({ fetch, params, request, url }) => {
    const values = readValues(await request.formData(), memberActionFields.confirmRequest);
    try {
      const resignation = await apiClient(fetch).confirmResignationRequest(params.id, values.resignationId ?? '', (values.reason ?? '').trim() || undefined);
      return { action: 'confirmRequest' as const, resignation };
    } catch (e) {
      return memberActionFailure(e, url, 'confirmRequest', values);
    }
  },
  rejectRequest: async ({ fetch, params, request, url }) => {
    const values = readValues(await request.formData(), memberActionFields.rejectRequest);
    try {
      const resignation = await apiClient(fetch).rejectResignationRequest(params.id, values.resignationId ?? '', (values.reason ?? '').trim());
      return { action: 'rejectRequest' as const, resignation };
    } catch (e) {
      return memberActionFailure(e, url, 'rejectRequest', values);
    }
  },
  fundSwitch: async ({ fetch, params, request, url }) => {
    const values = keyed(readValues(await request.formData(), memberActionFields.fundSwitch));
    try {
      const resignation = await apiClient(fetch).fundSwitch(params.id, toFundSwitch(values));
      return { action: 'fundSwitch' as const, resignation };
    } catch (e) {
      return memberActionFailure(e, url, 'fundSwitch', values);
    }
  },
  death: async ({ fetch, params, request, url }) => {
    const values = readValues(await request.formData(), memberActionFields.death);
    const death = toDeath(values);
    // Step one only asks the caseworker to confirm what they typed; step two records it.
    if (values.confirmed !== 'yes') {
      if (death.dateOfDeath === '') return fail(400, { action: 'death' as const, values, errors: { dateOfDeath: 'required' as const } });
      return { action: 'death' as const, confirm: { dateOfDeath: death.dateOfDeath, precision: death.precision ?? 'day' } };
    }
    try {
      const recorded = await apiClient(fetch).recordDeath(params.id, death);
      return { action: 'death' as const, recorded };
    } catch (e) {
      return memberActionFailure(e, url, 'death', values);
    }
  },
  contact: async ({ fetch, params, request, url }) => {
    const values = readValues(await request.formData(), memberActionFields.contact);
    try {
      const { changed } = await apiClient(fetch).changeContact(params.id, toContactChange(values));
      return { action: 'contact' as const, changed };
    } catch (e) {
      return memberActionFailure(e, url, 'contact', values);
    }
  },
};
