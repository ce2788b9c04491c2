import { fail } from '@sveltejs/kit';
import { ApiError, apiClient, failLoad, isApiError } from '$lib/server/api';
import { has, t, type Lang } from '$lib/i18n';
import { readValues } from '$lib/server/applicationForm';
import { ledgerAction } from '$lib/server/ledgerActions';
import { memberActionFailure, memberActionFields, toContactChange, toDeath, toFundSwitch, toResignation } from '$lib/server/memberActions';
import type { Actions, PageServerLoad } from './$types';

/** Roles the member page offers its actions to; the API still decides each one. */
const actingRoles = ['caseworker', 'supervisor'];

export const load: PageServerLoad = async ({ fetch, params, url, parent }) => {
  try {
    const api = apiClient(fetch);
    const [{ me }, member, ledger, feeStatement] = await Promise.all([
      parent(),
      api.memberOverview(params.id),
      // The ledger section is shown to whoever the API serves it to; any refusal just leaves it out.
      api.memberLedger(params.id).catch((e: unknown) => {
        if (isApiError(e) && e.status !== 401) return null;
        throw e;
      }),
      // Fees paid per year and what was reported to the Tax Administration, when the API serves it.
      api.memberFeeStatement(params.id).catch((e: unknown) => {
        if (isApiError(e) && e.status !== 401) return null;
        throw e;
      }),
    ]);
    return {
      member,
      ledger,
      feeStatement,
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

/** A refusal with a stable code the desk has words for is shown in the user's language. */
function inOwnWords(e: unknown, lang: Lang): unknown {
  if (!isApiError(e) || typeof e.extra.code !== 'string') return e;
  const key = `errorCode.${e.extra.code}`;
  return has(key) ? new ApiError(e.status, e.title, t(lang, key), e.invalidParams, e.extra) : e;
}

const keyed = (values: Record<string, string>) => {
  values.idempotencyKey ||= crypto.randomUUID();
  return values;
};

export const actions: Actions = {
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
  withdraw: async ({ fetch, params, request, url, locals }) => {
    const values = readValues(await request.formData(), memberActionFields.withdraw);
    try {
      const resignation = await apiClient(fetch).withdrawResignation(params.id, values.resignationId ?? '', (values.reason ?? '').trim());
      return { action: 'withdraw' as const, resignation };
    } catch (e) {
      return memberActionFailure(inOwnWords(e, locals.lang), url, 'withdraw', values);
    }
  },
  confirmRequest: async ({ fetch, params, request, url, locals }) => {
    const values = readValues(await request.formData(), memberActionFields.confirmRequest);
    try {
      const resignation = await apiClient(fetch).confirmResignationRequest(params.id, values.resignationId ?? '', (values.reason ?? '').trim() || undefined);
      return { action: 'confirmRequest' as const, resignation };
    } catch (e) {
      return memberActionFailure(inOwnWords(e, locals.lang), url, 'confirmRequest', values);
    }
  },
  rejectRequest: async ({ fetch, params, request, url, locals }) => {
    const values = readValues(await request.formData(), memberActionFields.rejectRequest);
    try {
      const resignation = await apiClient(fetch).rejectResignationRequest(params.id, values.resignationId ?? '', (values.reason ?? '').trim());
      return { action: 'rejectRequest' as const, resignation };
    } catch (e) {
      return memberActionFailure(inOwnWords(e, locals.lang), url, 'rejectRequest', values);
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
