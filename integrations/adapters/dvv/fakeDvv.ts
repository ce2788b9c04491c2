import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIsoDate } from '../../../domain/dates';
import { dvvChangeDay, type DvvRawChange, type DvvRawChangesResponse } from '../../transforms/dvv/changes';

export interface FakeDvvOptions {
  /** The credentials it accepts (MUTP-Tunnus / MUTP-Salasana). */
  username?: string;
  password?: string;
  /** At most this many changes per POST /muutokset. Default 100. */
  batchSize?: number;
  /** Added to every request, to feel a slow service. */
  latencyMs?: number;
  /** Every Nth request answers 503, to exercise retries; 0 never. */
  failEvery?: number;
  /** The token of the first change added. Default 100000001 (eVaka's mock is near there). */
  firstToken?: number;
  /** A path prefix, e.g. '/api/v1'; the client's baseUrl then ends with it. */
  basePath?: string;
}

interface LogEntry {
  token: number;
  recordedOn: string;
  change: DvvRawChange;
}

export interface RunningFakeDvv {
  /** The base URL for createDvvChangesClient. */
  url: string;
  close(): Promise<void>;
}

/**
 * An in-memory DVV change interface that behaves like the real one: a log of changes with
 * increasing tokens, GET /kirjausavain/{date} answering the first token recorded on or after that
 * day, POST /muutokset answering only the asked-for people, at most `batchSize` changes a call,
 * with ajanTasalla false until the end of the log. Credentials are checked like DVV's.
 *
 * Token semantics (the real service documents none we could read, [U]): the token sent is the
 * first log position to read, and the token returned is the one to send next, so nothing is read
 * twice and the token never goes backwards.
 *
 * Use it over real HTTP (`listen`) or in-process (`fetch`, a drop-in for the client's fetch).
 */
export class FakeDvv {
  username: string;
  password: string;
  batchSize: number;
  latencyMs: number;
  failEvery: number;
  /** Every request, in order, with the status it got. */
  readonly requests: { method: string; path: string; status: number }[] = [];
  private readonly log: LogEntry[] = [];
  private nextToken: number;
  private readonly basePath: string;

  constructor(options: FakeDvvOptions = {}) {
    this.username = options.username ?? 'dvv-user';
    this.password = options.password ?? 'dvv-password';
    this.batchSize = options.batchSize ?? 100;
    this.latencyMs = options.latencyMs ?? 0;
    this.failEvery = options.failEvery ?? 0;
    this.nextToken = options.firstToken ?? 100_000_001;
    this.basePath = (options.basePath ?? '').replace(/\/+$/, '');
  }

  /**
   * Appends a change in DVV's own JSON shape and returns its token. It counts as recorded on
   * `recordedOn`, by default the Finnish day of its muutospv.
   */
  add(change: DvvRawChange, options: { recordedOn?: string } = {}): number {
    const recordedOn = options.recordedOn ?? dvvChangeDay(change.muutospv);
    if (!isIsoDate(recordedOn)) throw new Error(`FakeDvv.add: recordedOn must be YYYY-MM-DD, got "${recordedOn}"`);
    const token = this.nextToken++;
    // A copy, so a test changing its object afterwards does not rewrite history.
    this.log.push({ token, recordedOn, change: structuredClone(change) });
    return token;
  }

  /** The token the next added change will get: where an up-to-date reader stands. */
  get headToken(): number {
    return this.nextToken;
  }

  /** A fetch-compatible entry point: pass it as the client's `fetch`. */
  readonly fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => this.handle(new Request(input, init));

  async handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    const response = await this.route(request, path);
    this.requests.push({ method: request.method, path, status: response.status });
    return response;
  }

  /** Serves over HTTP on `port` (0: any free port) until closed. */
  async listen(port = 0, host = '127.0.0.1'): Promise<RunningFakeDvv> {
    const server = createServer((req, res) => {
      this.serveNode(req, res, host).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: String(error) }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const { port: actual } = server.address() as AddressInfo;
    return {
      url: `http://${host}:${actual}${this.basePath}`,
      close: () =>
        new Promise<void>((resolve, reject) => {
          server.closeAllConnections();
          server.close((error) => (error ? reject(error) : resolve()));
        }),
    };
  }

  private async serveNode(req: IncomingMessage, res: ServerResponse, host: string): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) headers.set(name, value.join(', '));
    }
    const method = req.method ?? 'GET';
    const body = method === 'GET' || method === 'HEAD' ? null : Buffer.concat(chunks);
    const response = await this.handle(new Request(`http://${host}${req.url ?? '/'}`, { method, headers, body }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  }

  private async route(request: Request, path: string): Promise<Response> {
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    if (this.failEvery > 0 && (this.requests.length + 1) % this.failEvery === 0) {
      return json(503, { virhe: 'Palvelu ei ole tilapäisesti käytettävissä' });
    }
    if (!path.startsWith(`${this.basePath}/`)) return json(404, { virhe: 'not found' });
    const rest = path.slice(this.basePath.length);

    if (request.headers.get('MUTP-Tunnus') !== this.username || request.headers.get('MUTP-Salasana') !== this.password) {
      return json(401, { virhe: 'Tunnistautuminen epäonnistui' });
    }
    if (!request.headers.get('X-Road-Client')) return json(400, { virhe: 'X-Road-Client header missing' });

    const tokenRoute = /^\/kirjausavain\/([^/]+)$/.exec(rest);
    if (tokenRoute) {
      if (request.method !== 'GET') return json(405, { virhe: 'use GET' });
      const date = decodeURIComponent(tokenRoute[1] ?? '');
      if (!isIsoDate(date)) return json(400, { virhe: `invalid date ${date}` });
      const first = this.log.find((e) => e.recordedOn >= date);
      return json(200, { viimeisinKirjausavain: first?.token ?? this.nextToken });
    }
    if (rest === '/muutokset') {
      if (request.method !== 'POST') return json(405, { virhe: 'use POST' });
      let body: unknown;
      try {
        body = await request.json();
      } catch {
        return json(400, { virhe: 'body is not JSON' });
      }
      const { viimeisinKirjausavain: from, hetulista } = (body ?? {}) as { viimeisinKirjausavain?: unknown; hetulista?: unknown };
      if (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 0) return json(400, { virhe: 'viimeisinKirjausavain must be a whole number' });
      if (!Array.isArray(hetulista) || hetulista.some((c) => typeof c !== 'string')) return json(400, { virhe: 'hetulista must be a list of identity codes' });
      return json(200, this.changesFrom(from, new Set(hetulista as string[])));
    }
    return json(404, { virhe: 'not found' });
  }

  private changesFrom(from: number, codes: ReadonlySet<string>): DvvRawChangesResponse {
    const muutokset: DvvRawChange[] = [];
    let next = Math.max(from, this.nextToken);
    for (const entry of this.log) {
      if (entry.token < from || !codes.has(entry.change.henkilotunnus)) continue;
      muutokset.push(structuredClone(entry.change));
      if (muutokset.length === this.batchSize) {
        next = entry.token + 1;
        break;
      }
    }
    return { viimeisinKirjausavain: next, muutokset, ajanTasalla: next >= this.nextToken };
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}
