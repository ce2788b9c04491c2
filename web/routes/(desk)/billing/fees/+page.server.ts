import { fail } from '@sveltejs/kit';
import { failAction } from '$lib/server/actions';
import { apiClient, failLoad, isApiError } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';
import type { SetFeeYear } from '$contract';

export const load: PageServerLoad = async ({ fetch, url, parent }) => {
  const { me } = await parent();
  try {
    const { items } = await apiClient(fetch).feeYears();
    return { years: items, canSet: me.roles.includes('admin'), forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { years: [], canSet: false, forbidden: true };
    failLoad(e, url);
  }
};

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** Euros as people type them (8,50 or 8.50 or 63) to cents; null when it is not such a number. */
function cents(euros: string): number | null {
  const match = /^(\d{1,6})(?:[.,](\d{1,2}))?$/.exec(euros.replace(/\s|€/g, ''));
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0')) : null;
}

export const actions: Actions = {
  set: async ({ fetch, request, url }) => {
    const form = await request.formData();
    const values = { year: text(form, 'year'), model: text(form, 'model'), amount: text(form, 'amount'), note: text(form, 'note'), confirmed: form.get('confirmed') === 'yes' ? 'yes' : '' };
    const amount = cents(values.amount);
    if (amount === null) return fail(400, { values, errors: { amount: 'fees.amount.invalid' } });
    // The model goes as chosen; the API names the field when it is not one of its models.
    const body = { model: values.model as SetFeeYear['model'], ...(values.model === 'per-year-by-month' ? { yearlyCents: amount } : { monthlyCents: amount }), confirmed: values.confirmed === 'yes', note: values.note };
    try {
      await apiClient(fetch).setFeeYear(values.year, body);
    } catch (e) {
      // The API names its own fields; the form has one amount field for both models.
      const errors = isApiError(e) ? Object.fromEntries(e.invalidParams.map((p) => [p.name === 'monthlyCents' || p.name === 'yearlyCents' ? 'amount' : p.name, p.reason])) : {};
      return failAction(e, url, { values, errors });
    }
    return { saved: values.year };
  },
};
