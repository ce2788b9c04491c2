import { fail, redirect } from '@sveltejs/kit';
import { migrationEntities } from '../../../../../domain/migration/records';
import { deskProblem, failAction } from '$lib/server/actions';
import { apiClient, failLoad, isApiError } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

/** Migration batches (decision 020): the list, and the upload of a new batch's files. */
export const load: PageServerLoad = async ({ fetch, url }) => {
  try {
    return { batches: (await apiClient(fetch).migrationBatches()).items, forbidden: false, entities: [...migrationEntities] };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { batches: [], forbidden: true, entities: [...migrationEntities] };
    failLoad(e, url);
  }
};

const batchIdPattern = /^[A-Za-z0-9._-]{1,60}$/;

export const actions: Actions = {
  /** One file per entity, each optional; the format follows the file name (.jsonl or .csv). */
  upload: async ({ fetch, request, url }) => {
    const form = await request.formData();
    const batchId = String(form.get('batchId') ?? '').trim();
    if (!batchIdPattern.test(batchId)) return fail(400, { batchId, problem: deskProblem(400, 'migration_batch_id_invalid', 'The batch name must be 1–60 letters, digits, ".", "_" or "-".') });
    const encodingValue = String(form.get('encoding') ?? '');
    const encoding = encodingValue === 'utf-8' || encodingValue === 'windows-1252' ? (encodingValue as 'utf-8' | 'windows-1252') : undefined;
    const files = [];
    for (const entity of migrationEntities) {
      const f = form.get(entity);
      if (!(f instanceof File) || f.size === 0) continue;
      files.push({
        entity,
        filename: f.name.slice(0, 200),
        format: /\.(jsonl|ndjson)$/i.test(f.name) ? ('jsonl' as const) : ('csv' as const),
        ...(encoding ? { encoding } : {}),
        content: Buffer.from(await f.arrayBuffer()).toString('base64'),
      });
    }
    if (files.length === 0) return fail(400, { batchId, problem: deskProblem(400, 'migration_files_missing', 'Choose at least one file.') });
    try {
      await apiClient(fetch).uploadMigrationBatch(batchId, { files });
    } catch (e) {
      return failAction(e, url, { batchId });
    }
    redirect(303, `/admin/migration/${encodeURIComponent(batchId)}`);
  },
};
