/**
 * DVV's change interface (VTJ-muutosrajapinta, domain.md §6) over HTTP, as the City of Espoo's
 * eVaka client speaks it: GET {base}/kirjausavain/{date} for the first token of a day, then
 * POST {base}/muutokset with the token until ajanTasalla is true, persisting the token after
 * every batch. In production the base URL is the fund's own X-Road security server.
 */
import { isIsoDate } from '../../../domain/dates';
import {
  parseChangesResponse,
  parseTokenResponse,
  type PopulationChange,
  type RejectedDvvChange,
} from '../../transforms/dvv/changes';

export type { PopulationChange, RejectedDvvChange } from '../../transforms/dvv/changes';

export interface PopulationChangesBatch {
  /** Send with the next call; persist it once this batch is applied. */
  nextToken: number;
  /** No more changes after this batch for now. */
  upToDate: boolean;
  changes: PopulationChange[];
  /** Records or groups that could not be read, each naming its field; show them to a person. */
  rejected: RejectedDvvChange[];
  /** The response body as received, for the audit trail. */
  raw: unknown;
}

export interface PopulationRegisterChanges {
  /**
   * Resolves when the system answers, rejects when it does not (for the worker's /readyz; it never
   * changes anything). Optional: an adapter that cannot be asked is not listed.
   */
  ready?(): Promise<void>;
  /** The first change token recorded on `date` (YYYY-MM-DD): where a new sync starts. */
  firstToken(date: string): Promise<number>;
  /** Changes after `token` for these people, one batch. */
  changesSince(token: number, identityCodes: string[]): Promise<PopulationChangesBatch>;
}

/** Any failure talking to DVV; `retryable` says whether trying again later can help. */
export class DvvError extends Error {
  override name = 'DvvError';
  readonly retryable: boolean = false;
  readonly status: number | null;

  constructor(message: string, status: number | null, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

/** 401/403: wrong MUTP-Tunnus or MUTP-Salasana, or no permit. Retrying only locks the account. */
export class DvvAuthError extends DvvError {
  override name = 'DvvAuthError';
}

/** 5xx, 429, a timeout or a network failure: the service is down or busy; retry with backoff. */
export class DvvUnavailableError extends DvvError {
  override name = 'DvvUnavailableError';
  override readonly retryable = true;
}

/** Another 4xx: our request is wrong (a bug or a bad setting); retrying sends the same thing. */
export class DvvRequestError extends DvvError {
  override name = 'DvvRequestError';
}

export interface DvvChangesClientOptions {
  /** e.g. 'https://ss.fund.example/r1/FI/GOV/0245437-2/VTJmutpa/api/v1'; no trailing slash needed. */
  baseUrl: string;
  /** MUTP-Tunnus. */
  username: string;
  /** MUTP-Salasana. */
  password: string;
  /** X-Road-Client: the fund's subsystem, e.g. 'FI/COM/1234567-8/jasenrekisteri'. */
  xRoadClient: string;
  /** Injectable for tests (e.g. FakeDvv's handler); the global fetch by default. */
  fetch?: typeof fetch;
  /** Per request; a slow answer becomes DvvUnavailableError. Default 30 s. */
  timeoutMs?: number;
}

export function createDvvChangesClient(options: DvvChangesClientOptions): PopulationRegisterChanges {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const headers = {
    Accept: 'application/json',
    'MUTP-Tunnus': options.username,
    'MUTP-Salasana': options.password,
    'X-Road-Client': options.xRoadClient,
  };

  async function call(what: string, url: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new DvvUnavailableError(`DVV ${what}: no answer (${(error as Error).message})`, null, { cause: error });
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      const detail = `DVV ${what}: HTTP ${response.status}${text ? ` ${text.slice(0, 200)}` : ''}`;
      if (response.status === 401 || response.status === 403) {
        throw new DvvAuthError(`${detail} (check MUTP-Tunnus, MUTP-Salasana and the data permit)`, response.status);
      }
      if (response.status >= 500 || response.status === 429) throw new DvvUnavailableError(detail, response.status);
      throw new DvvRequestError(detail, response.status);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new DvvRequestError(`DVV ${what}: the answer is not JSON: ${text.slice(0, 100)}`, response.status, { cause: error });
    }
  }

  return {
    // Reachable: the service answers at all, below 500 (no credentials sent, nothing read).
    async ready() {
      let response: Response;
      try {
        response = await doFetch(`${base}/`, { method: 'HEAD', signal: AbortSignal.timeout(Math.min(timeoutMs, 1000)) });
      } catch (error) {
        throw new DvvUnavailableError('DVV: no answer', null, { cause: error });
      }
      if (response.status >= 500) throw new DvvUnavailableError(`DVV: HTTP ${response.status}`, response.status);
    },

    async firstToken(date) {
      if (!isIsoDate(date)) throw new DvvRequestError(`firstToken: date must be YYYY-MM-DD, got "${date}"`, null);
      const json = await call('kirjausavain', `${base}/kirjausavain/${date}`, { method: 'GET', headers });
      return parseTokenResponse(json);
    },

    async changesSince(token, identityCodes) {
      if (!Number.isSafeInteger(token) || token < 0) throw new DvvRequestError(`changesSince: token must be a whole number ≥ 0, got ${token}`, null);
      const json = await call('muutokset', `${base}/muutokset`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ viimeisinKirjausavain: token, hetulista: identityCodes }),
      });
      return { ...parseChangesResponse(json), raw: json };
    },
  };
}

export interface PullOptions {
  token: number;
  identityCodes: string[];
  /** Apply the batch and persist `batch.nextToken`; the next call waits for it. */
  onBatch: (batch: PopulationChangesBatch) => Promise<void>;
  /** A guard against a service that never says it is up to date. Default 1000. */
  maxBatches?: number;
}

/**
 * Pulls batch after batch until DVV is up to date. The token must never go backwards: that
 * would re-apply old changes over newer data, so it stops with an error instead.
 */
export async function pullUntilUpToDate(source: PopulationRegisterChanges, options: PullOptions): Promise<{ token: number; batches: number; upToDate: boolean }> {
  const maxBatches = options.maxBatches ?? 1000;
  let token = options.token;
  for (let batches = 1; batches <= maxBatches; batches++) {
    const batch = await source.changesSince(token, options.identityCodes);
    if (batch.nextToken < token) {
      throw new DvvRequestError(`DVV returned token ${batch.nextToken}, earlier than the ${token} it was asked from`, null);
    }
    await options.onBatch(batch);
    token = batch.nextToken;
    if (batch.upToDate) return { token, batches, upToDate: true };
  }
  return { token, batches: maxBatches, upToDate: false };
}
