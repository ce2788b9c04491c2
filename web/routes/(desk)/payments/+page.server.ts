import { redirect } from '@sveltejs/kit';
import type { BankEntryView, MemberSearchResult, PaymentFileView } from '$contract';
import { failAction } from '$lib/server/actions';
import { apiClient, failLoad, isApiError, loginUrl, problemOf } from '$lib/server/api';
import type { ProblemCode } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

const QUEUE_SIZE = 50;

export const load: PageServerLoad = async ({ fetch, url }) => {
  const api = apiClient(fetch);
  const allocated = url.searchParams.get('allocated');
  const allocatedMember = url.searchParams.get('member');
  try {
    const list = await api.tasks({ queue: 'payments', status: 'open', sort: 'due', limit: QUEUE_SIZE });
    const entries = await Promise.all(
      list.items.map((task) =>
        api.bankEntry(task.subject.id).catch((e: unknown): BankEntryView | null => {
          // An entry the API will not show is listed by its task alone.
          if (isApiError(e) && e.status !== 401) return null;
          throw e;
        }),
      ),
    );
    return {
      queue: list.items.map((task, i) => ({ task, entry: entries[i] ?? null })),
      total: list.total,
      allocated: allocated ? { entryId: allocated, memberId: allocatedMember } : null,
      forbidden: false,
    };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { queue: [], total: 0, allocated: null, forbidden: true };
    failLoad(e, url);
  }
};

/** One entry's member search, made by a POST (the query may be an identity code, which no URL may carry). */
export interface EntrySearch {
  entryId: string;
  q: string;
  result: MemberSearchResult | null;
  problem: ProblemCode | null;
}

async function searchFor(fetch: typeof globalThis.fetch, url: URL, entryId: string, q: string): Promise<EntrySearch | null> {
  if (!entryId || !q) return null;
  try {
    return { entryId, q, result: await apiClient(fetch).searchMembers(q, 10), problem: null };
  } catch (e) {
    if (!isApiError(e)) throw e;
    if (e.status === 401) redirect(303, loginUrl(url));
    return { entryId, q, result: null, problem: problemOf(e) };
  }
}

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** What the file is, as the API's upload contract names it: camt.054 as XML, KTL as plain text. */
function contentTypeOf(choice: string, file: File, bytes: Uint8Array): 'application/xml' | 'text/plain' {
  if (choice === 'camt054') return 'application/xml';
  if (choice === 'ktl') return 'text/plain';
  if (/[/+]xml$/i.test(file.type) || /\.xml$/i.test(file.name)) return 'application/xml';
  // Otherwise by its first character: an XML file starts with '<' (after a byte-order mark or blanks).
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x3c ? 'application/xml' : 'text/plain';
}

export const actions: Actions = {
  upload: async ({ fetch, request, url }) => {
    const form = await request.formData();
    const file = form.get('file');
    const format = field(form, 'format') || 'auto';
    const name = file instanceof File ? file.name : '';
    const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
    let result: { status: number; body: PaymentFileView };
    try {
      // Even an empty choice is sent: the API explains what it needs ("the request body is empty").
      result = await apiClient(fetch).uploadPaymentFile(bytes, file instanceof File ? contentTypeOf(format, file, bytes) : 'text/plain', name || undefined);
    } catch (e) {
      // A malformed file's problem names where: its line and element (or fixed-width record).
      const extra = isApiError(e) ? e.extra : {};
      const line = typeof extra.line === 'number' ? extra.line : null;
      const element = typeof extra.element === 'string' ? extra.element : null;
      return failAction(e, url, { action: 'upload' as const, filename: name, format, line, element });
    }
    // The file's own page follows its booking; 200 means these bytes had come before.
    redirect(303, `/payments/files/${encodeURIComponent(result.body.id)}${result.status === 200 ? '?repeat=1' : ''}`);
  },
  /** The member search of one entry's allocation form. */
  findMember: async ({ fetch, request, url }) => {
    const form = await request.formData();
    return { action: 'findMember' as const, search: await searchFor(fetch, url, field(form, 'entry'), field(form, 'q')) };
  },
  allocate: async ({ fetch, request, url }) => {
    const form = await request.formData();
    const values = { entryId: field(form, 'entryId'), taskId: field(form, 'taskId'), memberId: field(form, 'memberId'), note: field(form, 'note') };
    const q = field(form, 'q');
    try {
      await apiClient(fetch).allocatePayment(values.entryId, {
        ...(values.taskId ? { taskId: values.taskId } : {}),
        memberId: values.memberId,
        note: values.note,
      });
    } catch (e) {
      // The search is made again, so the refused form shows its hits and the choice.
      const search = isApiError(e) && e.status !== 401 ? await searchFor(fetch, url, values.entryId, q) : null;
      return failAction(e, url, { action: 'allocate' as const, ...values, search });
    }
    redirect(303, `/payments?allocated=${encodeURIComponent(values.entryId)}&member=${encodeURIComponent(values.memberId)}#unmatched-title`);
  },
};
