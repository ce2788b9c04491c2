import { fail } from '@sveltejs/kit';
import { apiClient } from '$lib/server/api';
import { formProblemOf, readValues } from '$lib/server/applicationForm';
import type { Actions, PageServerLoad } from './$types';

const fieldNames = ['idempotencyKey', 'identityCode', 'lastName', 'requestedEndDate'] as const;

export const load: PageServerLoad = () => ({
  // One key per rendered form: a double click or a resent POST is then one resignation.
  idempotencyKey: crypto.randomUUID(),
});

export const actions: Actions = {
  default: async ({ fetch, request }) => {
    const values = readValues(await request.formData(), fieldNames);
    const key = values.idempotencyKey || crypto.randomUUID();
    values.idempotencyKey = key;
    const requestedEndDate = (values.requestedEndDate ?? '').trim();
    try {
      const received = await apiClient(fetch).submitPublicResignation({
        idempotencyKey: key,
        // Required fields go as typed, even empty, so the API's answer names each of them.
        identityCode: (values.identityCode ?? '').trim().toUpperCase(),
        lastName: (values.lastName ?? '').trim(),
        ...(requestedEndDate ? { requestedEndDate } : {}),
      });
      return { received };
    } catch (e) {
      return fail(400, { values, ...formProblemOf(e, values) });
    }
  },
};
