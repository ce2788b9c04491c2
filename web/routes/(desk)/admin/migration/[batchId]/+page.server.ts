import { fail } from '@sveltejs/kit';
import { deskProblem, failAction } from '$lib/server/actions';
import { apiClient, failLoad } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

/** One migration batch: files, runs with progress and reports, and the steps test → approve → real. */
export const load: PageServerLoad = async ({ fetch, url, params, depends }) => {
  depends('app:migration-batch');
  try {
    return { batch: await apiClient(fetch).migrationBatch(params.batchId) };
  } catch (e) {
    failLoad(e, url);
  }
};

export const actions: Actions = {
  test: async ({ fetch, url, params }) => {
    try {
      return { started: (await apiClient(fetch).startMigration('test', params.batchId)).run };
    } catch (e) {
      return failAction(e, url);
    }
  },
  approve: async ({ fetch, url, params }) => {
    try {
      await apiClient(fetch).approveMigrationBatch(params.batchId);
      return { approved: true };
    } catch (e) {
      return failAction(e, url);
    }
  },
  real: async ({ fetch, url, params }) => {
    try {
      return { started: (await apiClient(fetch).startMigration('real', params.batchId)).run };
    } catch (e) {
      return failAction(e, url);
    }
  },
  accept: async ({ fetch, request, url, params }) => {
    const form = await request.formData();
    const run = String(form.get('run') ?? '');
    const key = String(form.get('key') ?? '');
    const reason = String(form.get('reason') ?? '').trim();
    if (!reason) return fail(400, { key, problem: deskProblem(400, 'migration_reason_required', 'Accepting a difference needs a reason.') });
    try {
      return { accepted: (await apiClient(fetch).acceptMigrationDifference(params.batchId, run, key, reason)).status };
    } catch (e) {
      return failAction(e, url, { key });
    }
  },
};
