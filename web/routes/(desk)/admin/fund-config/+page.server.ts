import { fail } from '@sveltejs/kit';
import { deskProblem, failAction } from '$lib/server/actions';
import { apiClient, failLoad, isApiError } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

/** The fund's settings (decision 021): shipped value, value in force, scheduled changes and history, for administrators. */
export const load: PageServerLoad = async ({ fetch, url }) => {
  try {
    const config = await apiClient(fetch).fundConfig();
    return { config, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { config: null, forbidden: true };
    failLoad(e, url);
  }
};

/** What the administrator typed, handed back with every answer so the form keeps it. */
interface Typed {
  key: string;
  value: string;
  effectiveFrom: string;
  reason: string;
}

async function typed(request: Request): Promise<Typed> {
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? '');
  return { key: text('key'), value: text('value'), effectiveFrom: text('effectiveFrom'), reason: text('reason') };
}

/** The textarea's JSON, or not JSON at all (the desk's own refusal, before asking the API). */
function parsed(value: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch {
    return { ok: false };
  }
}

const notJson = (values: Typed) => fail(400, { values, problem: deskProblem(400, 'config_json_invalid', 'The value is not JSON.') });

export const actions: Actions = {
  /** What the value would change on its date; nothing is stored. */
  preview: async ({ fetch, request, url }) => {
    const values = await typed(request);
    const value = parsed(values.value);
    if (!value.ok) return notJson(values);
    try {
      const preview = await apiClient(fetch).previewFundConfig(values.key, { value: value.value, effectiveFrom: values.effectiveFrom });
      return { values, preview };
    } catch (e) {
      return failAction(e, url, { values });
    }
  },
  /** Stores the value from its date on (audited by the API). */
  set: async ({ fetch, request, url }) => {
    const values = await typed(request);
    const value = parsed(values.value);
    if (!value.ok) return notJson(values);
    try {
      await apiClient(fetch).setFundConfig(values.key, { value: value.value, effectiveFrom: values.effectiveFrom, reason: values.reason });
      return { saved: { key: values.key, effectiveFrom: values.effectiveFrom } };
    } catch (e) {
      return failAction(e, url, { values });
    }
  },
  /** Returns the setting to the shipped value from the date on (a stored `null`). */
  reset: async ({ fetch, request, url }) => {
    const values = await typed(request);
    try {
      await apiClient(fetch).setFundConfig(values.key, { value: null, effectiveFrom: values.effectiveFrom, reason: values.reason });
      return { saved: { key: values.key, effectiveFrom: values.effectiveFrom } };
    } catch (e) {
      return failAction(e, url, { values });
    }
  },
};
