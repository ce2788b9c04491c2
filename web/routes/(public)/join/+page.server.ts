import { fail } from '@sveltejs/kit';
import { apiClient } from '$lib/server/api';
import { formProblemOf, joinFieldNames, readValues, toApplicationData } from '$lib/server/applicationForm';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({
  // One key per rendered form: a double click or a resent POST is then one application.
  idempotencyKey: crypto.randomUUID(),
});

export const actions: Actions = {
  default: async ({ fetch, request }) => {
    const values = readValues(await request.formData(), joinFieldNames);
    const key = values.idempotencyKey || crypto.randomUUID();
    values.idempotencyKey = key;
    try {
      const submitted = await apiClient(fetch).submitApplication(key, toApplicationData(values));
      return { submitted };
    } catch (e) {
      const problem = formProblemOf(e, values);
      return fail(400, { values, ...problem });
    }
  },
};
