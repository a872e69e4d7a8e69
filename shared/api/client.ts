/**
 * The one typed client of the hub API, derived from the endpoint table (ENDPOINTS): the path,
 * method and schemas an endpoint is served with are the ones it is called with. Responses are parsed with the same zod schemas the server validated them with.
 * It takes a `fetch` so it runs in the station's main process, in the hub's seed CLI, in tests and in
 * the web console. API clients authenticate with a bearer token; the console with its session cookie
 * (sent by the browser) plus the session's CSRF token on every mutating request.
 */
import { z } from 'zod';
import type { EndpointDef } from './endpoints.ts';
import { CSRF_HEADER } from './session.ts';

type Maybe<S> = S extends z.ZodType ? z.input<S> : never;

export type EndpointInput<D extends EndpointDef> = (D['params'] extends z.ZodType
  ? { params: Maybe<D['params']> }
  : { params?: undefined }) &
  (D['query'] extends z.ZodType ? { query?: Maybe<D['query']> } : { query?: undefined }) &
  (D['body'] extends z.ZodType ? { body: Maybe<D['body']> } : { body?: undefined });

/** The first 2xx schema of an endpoint is its success answer. */
type SuccessStatus<D extends EndpointDef> = Extract<keyof D['response'], 200 | 201 | 202 | 204>;
export type EndpointOutput<D extends EndpointDef> = z.output<D['response'][SuccessStatus<D>]>;

/** A non-2xx answer: the hub's `{error:{code,message}}` (message in Chinese where the seed gives the words). */
export class HubApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The whole error body, e.g. `nextAllowedAt` of STATEMENT_LIMIT or `lastMutationId` of MUTATION_GAP. */
  readonly body: unknown;
  constructor(status: number, code: string, message: string, body: unknown) {
    super(message);
    this.name = 'HubApiError';
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/** The hub could not be reached or did not answer in time: transient, retry later (DESIGN.md §4). */
export class HubUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HubUnreachableError';
  }
}

/** `{error:{code,message}}`, with the extra fields some refusals carry (nextAllowedAt, lastMutationId…). */
const ErrorAnswerSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export interface HubClientOptions {
  /** The hub's address; '' in the console, which is served by the hub itself. */
  baseUrl: string;
  token?: string;
  /** The session's CSRF token (console): sent in the x-csrf-token header of POST/PUT/DELETE. */
  csrfToken?: () => string | null;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface HubClient {
  call<D extends EndpointDef>(def: D, input: EndpointInput<D>): Promise<EndpointOutput<D>>;
  withToken(token: string): HubClient;
}

export function createHubClient(opts: HubClientOptions): HubClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  // Called as a plain function: a browser's fetch must not be detached from its global.
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const timeoutMs = opts.timeoutMs ?? 15_000;

  async function call<D extends EndpointDef>(def: D, input: EndpointInput<D>): Promise<EndpointOutput<D>> {
    const url =
      base + buildPath(def.path, input.params as Record<string, unknown> | undefined) + buildQuery(input.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const csrf = def.method === 'GET' ? null : (opts.csrfToken?.() ?? null);
    if (csrf) headers[CSRF_HEADER] = csrf;
    let body: string | undefined;
    if (input.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(input.body);
    }
    let res: Response;
    try {
      res = await doFetch(url, { method: def.method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      throw new HubUnreachableError(`无法连接平台 (${def.method} ${def.path}): ${(e as Error).message}`, { cause: e });
    }
    const text = await res.text();
    const json: unknown = text === '' ? undefined : safeJson(text);
    if (res.status >= 200 && res.status < 300) {
      const schema = def.response[res.status] ?? firstSuccessSchema(def);
      if (!schema) throw new Error(`hub client: no response schema for ${def.method} ${def.path} ${res.status}`);
      return schema.parse(json) as EndpointOutput<D>;
    }
    const err = ErrorAnswerSchema.safeParse(json);
    if (res.status >= 500 || !err.success) {
      // A 5xx (or a proxy's HTML page) is a transient failure, not an answer.
      throw new HubUnreachableError(`平台暂时不可用 (${def.method} ${def.path} → ${res.status})`);
    }
    throw new HubApiError(res.status, err.data.error.code, err.data.error.message, json);
  }

  return { call, withToken: (token) => createHubClient({ ...opts, token }) };
}

function buildPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === null) throw new Error(`hub client: missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(v));
  });
}

function buildQuery(query: unknown): string {
  if (!query || typeof query !== 'object') return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function firstSuccessSchema(def: EndpointDef): z.ZodType | undefined {
  const status = Object.keys(def.response)
    .map(Number)
    .find((s) => s >= 200 && s < 300);
  return status === undefined ? undefined : def.response[status];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
