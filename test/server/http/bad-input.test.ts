/**
 * Bad input (issue 3 acceptance): every endpoint of the OpenAPI document — so a new endpoint cannot
 * escape — is fed malformed JSON, non-object JSON, wrong content types, oversized bodies, and, from
 * a sample body generated from its own request schema: missing required fields, wrong types,
 * unknown fields, strings and arrays over their limits (e.g. 1,001 sns), out-of-range numbers and
 * unknown sns; plus bad path and query parameters. Every answer must be a 4xx with
 * `{error:{code,message}}` where the input is invalid, and nothing may ever be a 5xx.
 */
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { ENDPOINTS, type EndpointAuth } from '../../../shared/api/endpoints.ts';
import {
  allocate,
  boundPair,
  call,
  createOrders,
  describeEachDb,
  ok,
  type ApiResponse,
  type CallOptions,
  type TestHub,
  type TestShop,
  type TestStation,
  createMerchant,
} from '../support/hub.ts';
import { authOf } from '../support/endpoint-auth.ts';
import { allocatedOrders, newClientId, returnAddress } from '../support/scenarios.ts';

// ───────────────────────── the endpoints, from the OpenAPI document ─────────────────────────

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  default?: unknown;
};

interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
}

interface Operation {
  method: string;
  /** OpenAPI form: /v1/x/{id} */
  path: string;
  auth: EndpointAuth;
  body: JsonSchema | null;
  params: Param[];
}

async function operationsOf(h: TestHub): Promise<Operation[]> {
  type Op = { requestBody?: { content?: Record<string, { schema?: JsonSchema }> }; parameters?: Param[] };
  const doc = await ok<{ paths: Record<string, Record<string, Op>> }>(h, 'GET', '/v1/openapi.json');
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(methods)) {
      const method = m.toUpperCase();
      out.push({
        method,
        path,
        auth: authOf(method, path),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
        params: op.parameters ?? [],
      });
    }
  }
  return out;
}

// ───────────────────────── sample values and their mutations ─────────────────────────

const STRING_CANDIDATES = ['SAMPLE-1', 'Sample1234', '12345678', '测试文本', 'ZTO', '1'];

function typeOf(s: JsonSchema): string | undefined {
  return Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
}

/** Which sample to build: the branch taken at every oneOf/anyOf, and whether optional fields are filled in. */
interface Shape {
  branch: number;
  optional: boolean;
}
const PLAIN: Shape = { branch: 0, optional: false };

function variant(s: JsonSchema, branch = 0): JsonSchema {
  const branches = s.oneOf ?? s.anyOf;
  return branches ? branches[Math.min(branch, branches.length - 1)]! : s;
}

/** The most branches of any oneOf/anyOf in the schema: one sample per branch reaches every variant. */
function branchCount(s: JsonSchema): number {
  const branches = s.oneOf ?? s.anyOf ?? [];
  const inner = [...branches, ...Object.values(s.properties ?? {}), ...(s.items ? [s.items] : [])];
  return Math.max(branches.length, 1, ...inner.map(branchCount));
}

/** A value the schema should accept (best effort: the test measures how often it is). */
function sample(schema: JsonSchema, shape: Shape = PLAIN): unknown {
  const s = variant(schema, shape.branch);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  switch (typeOf(s)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const keys = shape.optional ? Object.keys(s.properties ?? {}) : (s.required ?? []);
      for (const k of keys) out[k] = sample(s.properties?.[k] ?? {}, shape);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 0) }, () => sample(s.items ?? {}, shape));
    case 'string': {
      if (s.format === 'date-time') return '2026-11-27T08:00:00.000Z';
      const re = s.pattern ? new RegExp(s.pattern) : null;
      for (const c of STRING_CANDIDATES) {
        let v = c;
        while (v.length < (s.minLength ?? 0)) v += c;
        if (s.maxLength !== undefined && v.length > s.maxLength) continue;
        if (!re || re.test(v)) return v;
      }
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    }
    case 'integer':
    case 'number': {
      const min = s.minimum ?? 0;
      return s.exclusiveMinimum === true || (typeof s.exclusiveMinimum === 'number' && s.exclusiveMinimum >= min)
        ? Math.floor(min) + 1
        : Math.max(min, 1);
    }
    case 'boolean':
      return true;
    default:
      return 'x';
  }
}

type PathSeg = string | number;

interface Mutation {
  what: string;
  body: unknown;
  /** true: must be 4xx. false: must only not be 5xx (e.g. a long string where no limit is declared). */
  invalid: boolean;
}

function setAt(root: unknown, path: PathSeg[], value: unknown, remove = false): unknown {
  const copy = structuredClone(root);
  if (path.length === 0) return value;
  let cur = copy as Record<PathSeg, unknown>;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<PathSeg, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete cur[last];
  else cur[last] = value;
  return copy;
}

const wrongTypeFor = (t: string | undefined): unknown =>
  t === 'string'
    ? 12345
    : t === 'integer' || t === 'number'
      ? 'not-a-number'
      : t === 'array'
        ? { not: 'an array' }
        : t === 'boolean'
          ? 'yes'
          : [1, 2];

/** Every mutation of `sample` the schema should refuse (walks objects and the first array item). */
function mutations(schema: JsonSchema, root: unknown, branch: number, path: PathSeg[] = [], depth = 0): Mutation[] {
  const s = variant(schema, branch);
  const here = path.length ? path.join('.') : '(body)';
  const value = path.reduce<unknown>((v, seg) => (v as Record<PathSeg, unknown>)[seg], root);
  const out: Mutation[] = [];
  const t = typeOf(s);
  if (s.enum || s.const !== undefined) {
    out.push({
      what: `${here}: not one of the allowed values`,
      body: setAt(root, path, 'NOT_AN_ALLOWED_VALUE'),
      invalid: true,
    });
  }
  out.push({ what: `${here}: wrong type`, body: setAt(root, path, wrongTypeFor(t)), invalid: true });
  out.push({
    what: `${here}: null`,
    body: setAt(root, path, null),
    invalid: !(Array.isArray(s.type) && s.type.includes('null')),
  });
  if (t === 'object' && depth < 4) {
    out.push({
      what: `${here}: unknown field`,
      body: setAt(root, [...path, 'bogusField'], 1),
      invalid: s.additionalProperties === false,
    });
    out.push({
      what: `${here}: __proto__ key`,
      body: setAt(root, [...path, 'constructor'], { prototype: { x: 1 } }),
      invalid: s.additionalProperties === false,
    });
    for (const k of s.required ?? []) {
      out.push({ what: `${here}.${k}: missing`, body: setAt(root, [...path, k], undefined, true), invalid: true });
    }
    for (const [k, sub] of Object.entries(s.properties ?? {})) {
      if (value && typeof value === 'object' && k in (value as object))
        out.push(...mutations(sub, root, branch, [...path, k], depth + 1));
    }
  }
  if (t === 'array' && Array.isArray(value)) {
    const item = value[0];
    if (s.maxItems !== undefined) {
      out.push({
        what: `${here}: ${s.maxItems + 1} items (limit ${s.maxItems})`,
        body: setAt(
          root,
          path,
          Array.from({ length: s.maxItems + 1 }, () => item),
        ),
        invalid: true,
      });
    } else {
      out.push({
        what: `${here}: 5,000 items`,
        body: setAt(
          root,
          path,
          Array.from({ length: 5000 }, () => item),
        ),
        invalid: false,
      });
    }
    if ((s.minItems ?? 0) >= 1) out.push({ what: `${here}: empty`, body: setAt(root, path, []), invalid: true });
    if (s.items && depth < 4 && value.length > 0) {
      out.push(...mutations(s.items, root, branch, [...path, 0], depth + 1));
    }
  }
  if (t === 'string') {
    const huge = 'x'.repeat(200_000);
    out.push({
      what: `${here}: 200,000 characters`,
      body: setAt(root, path, huge),
      invalid: s.maxLength !== undefined || !!s.pattern || !!s.enum,
    });
    if (s.maxLength !== undefined) {
      out.push({
        what: `${here}: ${s.maxLength + 1} characters`,
        body: setAt(root, path, '9'.repeat(s.maxLength + 1)),
        invalid: true,
      });
    }
    out.push({
      what: `${here}: control characters and emoji`,
      body: setAt(root, path, 'a\u0000b\u202e😀'),
      invalid: !!s.pattern || !!s.enum || !!s.format,
    });
    out.push({
      what: `${here}: lone surrogate`,
      body: setAt(root, path, 'a\ud800b'),
      invalid: !!s.pattern || !!s.enum || !!s.format,
    });
  }
  if (t === 'integer' || t === 'number') {
    if (t === 'integer') out.push({ what: `${here}: 1.5`, body: setAt(root, path, 1.5), invalid: true });
    if (s.minimum !== undefined)
      out.push({ what: `${here}: below minimum`, body: setAt(root, path, s.minimum - 1), invalid: true });
    if (s.maximum !== undefined)
      out.push({ what: `${here}: above maximum`, body: setAt(root, path, s.maximum * 10 + 1), invalid: true });
    out.push({ what: `${here}: 1e308`, body: setAt(root, path, 1e308), invalid: s.maximum !== undefined });
  }
  return out;
}

// ───────────────────────── the test ─────────────────────────

interface Actors {
  merchant: TestShop;
  factory: TestShop;
  station: TestStation;
  sn: string;
}

function tokenFor(h: TestHub, a: Actors, auth: EndpointAuth): string | undefined {
  switch (auth) {
    case 'admin':
      return h.adminToken;
    case 'shop':
    case 'merchant':
      return a.merchant.token;
    case 'factory':
      return a.factory.token;
    case 'station':
      return a.station.token;
    case 'none':
      return undefined;
  }
}

describeEachDb('bad input never gets a 5xx', ({ hub }) => {
  let actors: Actors;
  let ops: Operation[];
  const failures: string[] = [];
  let requests = 0;

  beforeEach(() => {
    failures.length = 0;
  });

  beforeAll(async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const [sn] = await createOrders(h, merchant, 3);
    await allocate(h, merchant, factory.shopId, [sn!]);
    actors = { merchant, factory, station, sn: sn! };
    ops = await operationsOf(h);
  });

  /** Fill path parameters with plausible values (an existing sn, id 1), or with `override` for one. */
  function pathOf(op: Operation, override?: { name: string; value: string }): string {
    return op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      override?.name === name ? override.value : name === 'sn' ? actors.sn : '1',
    );
  }

  async function probe(
    op: Operation,
    what: string,
    invalid: boolean,
    opts: CallOptions,
    path = pathOf(op),
  ): Promise<ApiResponse> {
    const res = await call(hub(), op.method, path, { token: tokenFor(hub(), actors, op.auth), ...opts });
    requests++;
    const label = `${op.method} ${op.path} — ${what} → ${res.status}`;
    if (res.status >= 500) failures.push(`${label}: 5xx ${JSON.stringify(res.body).slice(0, 200)}`);
    if (invalid && (res.status < 400 || res.status >= 500)) failures.push(`${label}: expected 4xx`);
    if (res.status >= 400) {
      const b = res.body as { error?: { code?: unknown; message?: unknown } } | null;
      if (typeof b?.error?.code !== 'string' || typeof b.error.message !== 'string' || Object.keys(b).length !== 1) {
        failures.push(`${label}: not {error:{code,message}}: ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    return res;
  }

  it('the OpenAPI document lists every endpoint, and each one is classified', () => {
    expect(ops.length).toBeGreaterThanOrEqual(Object.keys(ENDPOINTS).length);
    for (const d of Object.values(ENDPOINTS)) {
      expect(
        ops.some((o) => o.method === d.method && o.path === d.path.replace(/:(\w+)/g, '{$1}')),
        d.path,
      ).toBe(true);
    }
  });

  it('malformed, non-object, mistyped and oversized bodies are 4xx on every endpoint that takes one', async () => {
    const withBody = ops.filter((o) => o.body !== null);
    expect(withBody.length).toBeGreaterThanOrEqual(8);
    for (const op of withBody) {
      for (const raw of ['{"a":', '{', '}', '{"a":1}}', "{'single':'quotes'}", 'undefined', '\u0000', '{"a":1,}']) {
        await probe(op, `malformed JSON ${JSON.stringify(raw)}`, true, { rawBody: raw });
      }
      for (const raw of ['null', '[]', '"a string"', '42', 'true', '[{}]']) {
        // An endpoint whose body is an array (e.g. prices) may take [] or [{}]: both must still be refused by limits.
        await probe(op, `JSON ${raw}`, true, { rawBody: raw });
      }
      await probe(op, 'empty body with a JSON content type', true, { rawBody: '' });
      await probe(op, 'deeply nested JSON', true, { rawBody: '['.repeat(20_000) + ']'.repeat(20_000) });
      await probe(op, '__proto__ pollution', true, { rawBody: '{"__proto__":{"polluted":true}}' });
      await probe(op, 'text/plain', true, { rawBody: 'hello', headers: { 'content-type': 'text/plain' } });
      await probe(op, 'form-encoded', true, {
        rawBody: 'a=1&b=2',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const big = await probe(op, '3 MiB body', true, { rawBody: JSON.stringify({ x: 'x'.repeat(3 * 1024 * 1024) }) });
      expect(big.status, `${op.method} ${op.path} oversized`).toBe(413);
    }
    expect(failures).toEqual([]);
  });

  it('schema-driven mutations: missing, mistyped, unknown, too long, too many, out of range — all 4xx, none 5xx', async () => {
    let validSamples = 0;
    const withBody = ops.filter((o) => o.body !== null);
    const sampleResults: string[] = [];
    for (const op of withBody) {
      // The required fields only; then every field, once per variant of each union (e.g. each mutation type).
      const shapes: Shape[] = [
        PLAIN,
        ...Array.from({ length: branchCount(op.body!) }, (_, branch) => ({ branch, optional: true })),
      ];
      for (const shape of shapes) {
        const base = sample(op.body!, shape);
        // The sample itself (its sns name no order: the "unknown sns" case). It must not be a 5xx.
        const res = await probe(op, `generated sample ${JSON.stringify(shape)} (unknown sns/ids)`, false, {
          body: base,
        });
        const accepted = !((res.body as { error?: { code?: string } } | null)?.error?.code === 'VALIDATION_ERROR');
        if (accepted) validSamples++;
        sampleResults.push(`${op.method} ${op.path} ${JSON.stringify(shape)}: ${res.status}`);
        for (const m of mutations(op.body!, base, shape.branch)) {
          // A mutation is only known to be invalid for sure when the sample was valid; else it just must not 5xx.
          await probe(op, `${m.what} ${JSON.stringify(shape)}`, m.invalid && accepted, { body: m.body });
        }
      }
    }
    // The generator is good enough that most samples pass validation, so most mutations really test one rule.
    expect(validSamples, sampleResults.join('\n')).toBeGreaterThanOrEqual(Math.ceil(sampleResults.length * 0.7));
    // Every variant was reached: the station's three mutation types, and a takeover request.
    expect(sampleResults.filter((r) => r.startsWith('POST /v1/station/mutations')).length).toBe(4);
    expect(failures).toEqual([]);
  });

  it('the limits named by the issue: 1,001 sns to check, 1,001 orders to allocate or create', async () => {
    const h = hub();
    const sns = Array.from({ length: 1001 }, (_, i) => `UNKNOWN-${i}`);
    const checks = await call(h, 'POST', '/v1/station/check', { token: actors.station.token, body: { orderSns: sns } });
    expect(checks.status).toBe(400);
    const atLimit = await call(h, 'POST', '/v1/station/check', {
      token: actors.station.token,
      body: { orderSns: sns.slice(0, 1000) },
    });
    expect(atLimit.status).toBe(200);
    expect((atLimit.body as { results: { reason: string }[] }).results.every((r) => r.reason === 'not_allocated')).toBe(
      true,
    );
    const alloc = await call(h, 'POST', '/v1/merchant/allocations', {
      token: actors.merchant.token,
      body: { factoryShopId: actors.factory.shopId, orderSns: sns },
    });
    expect(alloc.status).toBe(400);
    const allocUnknown = await call(h, 'POST', '/v1/merchant/allocations', {
      token: actors.merchant.token,
      body: { factoryShopId: actors.factory.shopId, orderSns: sns.slice(0, 1000) },
    });
    expect(allocUnknown.status).toBe(200);
    expect(
      (allocUnknown.body as { results: { reason?: string }[] }).results.every((r) => r.reason === 'not_found'),
    ).toBe(true);
    const cancel = await call(h, 'POST', '/v1/merchant/allocations/cancel', {
      token: actors.merchant.token,
      body: { orderSns: sns },
    });
    expect(cancel.status).toBe(400);
    const create = await call(h, 'POST', '/v1/platform/orders', {
      token: h.adminToken,
      body: {
        merchantShopId: actors.merchant.shopId,
        orders: Array.from({ length: 1001 }, (_, i) => ({
          sn: `BIG-${i}`,
          items: [{ goodsId: 'G', skuId: 'S', goodsName: '纯棉T恤', spec: '白色/XL', quantity: 1 }],
          recipient: {
            name: '张三',
            phone: '13800000000',
            province: '广东省',
            city: '深圳市',
            district: '南山区',
            detail: '科技园1号',
          },
        })),
      },
    });
    expect(create.status).toBe(400);
    expect((create.body as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR');
    // Unknown sns in path params: a 404 with the error shape, for the merchant and the platform.
    const detail = await call(h, 'GET', '/v1/merchant/orders/NOPE-NEVER', { token: actors.merchant.token });
    expect(detail.status).toBe(404);
    const ev = await call(h, 'POST', '/v1/platform/orders/NOPE-NEVER/events', {
      token: h.adminToken,
      body: { type: 'audit_hold' },
    });
    expect(ev.status).toBe(404);
  });

  it('bad path parameters are 4xx, never 5xx', async () => {
    const bad = [
      'abc',
      '-1',
      '0',
      '1.5',
      '1e3',
      '99999999999999999999',
      '%00',
      '%E4%B8%AD%E6%96%87',
      '..%2F..%2Fetc%2Fpasswd',
      'a'.repeat(300),
      '%20',
      '%E4%B8',
      '%zz',
      'NOPE-404',
    ];
    for (const op of ops) {
      for (const p of op.params.filter((x) => x.in === 'path')) {
        for (const value of bad) {
          const opts: CallOptions = op.body ? { body: sample(op.body) } : {};
          // None of these names a thing that exists (ids are validated or unknown; sns are unknown).
          await probe(op, `path ${p.name}=${value.slice(0, 20)}`, true, opts, pathOf(op, { name: p.name, value }));
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('bad query parameters are 4xx where the schema forbids them, and never 5xx', async () => {
    let withQuery = 0;
    for (const op of ops) {
      const qs = op.params.filter((x) => x.in === 'query');
      if (qs.length === 0) continue;
      withQuery++;
      for (const p of qs) {
        const s = variant(p.schema);
        const t = typeOf(s);
        const cases: Array<[string, boolean]> = [
          ['', false],
          ['a'.repeat(5000), s.maxLength !== undefined || t === 'integer' || !!s.enum || !!s.pattern],
          ['%00', t === 'integer' || !!s.enum || !!s.pattern],
          ['NOT_ALLOWED', t === 'integer' || !!s.enum || (!!s.pattern && !new RegExp(s.pattern).test('NOT_ALLOWED'))],
        ];
        if (t === 'integer') {
          cases.push(
            ['1.5', true],
            ['-1', (s.minimum ?? -Infinity) >= 0],
            ['99999999999999999999', s.maximum !== undefined],
            ['0x10', false], // z.coerce reads it as 16: lenient, but harmless
          );
        }
        for (const [value, invalid] of cases) {
          const url = `${pathOf(op)}?${encodeURIComponent(p.name)}=${value}`;
          await probe(op, `query ${p.name}=${value.slice(0, 20)}`, invalid, {}, url);
        }
        // The same parameter twice.
        await probe(op, `query ${p.name} twice`, false, {}, `${pathOf(op)}?${p.name}=1&${p.name}=2`);
      }
      await probe(op, 'unknown query parameter', false, {}, `${pathOf(op)}?bogusParam=1`);
    }
    expect(withQuery).toBeGreaterThanOrEqual(3);
    expect(failures).toEqual([]);
  });

  it('endpoints without a body ignore or refuse one, and never 5xx', async () => {
    for (const op of ops.filter((o) => o.body === null && o.method !== 'GET')) {
      await probe(op, 'unexpected malformed body', false, { rawBody: '{"a":' });
      await probe(op, 'unexpected 3 MiB body', false, { rawBody: JSON.stringify({ x: 'x'.repeat(3 * 1024 * 1024) }) });
    }
    expect(failures).toEqual([]);
    console.info(`[bad-input] ${requests} requests over ${ops.length} endpoints, no 5xx`);
  });
});

/** Values that pass the schemas' shape (dates, ids, cursors) but make no sense never get a 5xx. */
describeEachDb('odd values that pass the schemas’ shape', ({ hub }) => {
  it('impossible dates, huge ids, other merchants’ addresses and foreign cursors are 4xx, never 5xx', async () => {
    const h = hub();
    const { station, sns, merchant, factory } = await allocatedOrders(h, 1);
    const m2 = await createMerchant(h);
    const ra = await returnAddress(h, merchant);
    const big = '99999999999999999999';
    const cases: Array<[string, string, string, unknown?, Record<string, string>?]> = [
      [
        'POST',
        '/v1/merchant/statements',
        merchant.token,
        { factoryShopId: factory.shopId, from: '2026-02-30T00:00:00Z', to: '2026-03-31T00:00:00Z' },
      ],
      [
        'POST',
        '/v1/merchant/statements',
        merchant.token,
        { factoryShopId: factory.shopId, from: '0000-01-01T00:00:00Z', to: '9999-12-31T23:59:59Z' },
      ],
      [
        'POST',
        '/v1/merchant/statements',
        merchant.token,
        { factoryShopId: factory.shopId, from: '2026-01-01T00:00:00+14:00', to: '2026-01-01T00:00:00-12:00' },
      ],
      ['GET', `/v1/merchant/statements/${big}`, merchant.token],
      ['GET', `/v1/merchant/statements/${big}/download`, merchant.token, undefined, { format: 'csv' }],
      ['GET', `/v1/merchant/statements/1/download`, merchant.token, undefined, { format: 'pdf' }],
      ['PUT', `/v1/merchant/return-addresses/${big}`, merchant.token, { name: 'a', phone: '1', address: 'b' }],
      ['DELETE', `/v1/merchant/return-addresses/${big}`, merchant.token],
      ['DELETE', `/v1/merchant/return-addresses/${ra}`, m2.token],
      ['GET', '/v1/factory/prices', factory.token, undefined, { merchantShopId: big }],
      ['PUT', '/v1/factory/prices', factory.token, [{ merchantShopId: 2147483647, skuId: 'x', priceFen: 1 }]],
      ['POST', '/v1/merchant/shipments', merchant.token, { orderSns: sns, returnAddressId: 2147483647 }],
      ['POST', '/v1/merchant/shipments', merchant.token, { orderSns: sns, returnAddressId: 1e20 }],
      ['POST', '/v1/merchant/shipments', merchant.token, { orderSns: [], returnAddressId: ra }],
      [
        'POST',
        '/v1/station/mutations',
        station.token,
        {
          clientId: newClientId(),
          mutations: [
            {
              id: 1,
              type: 'waybill_returned',
              orderSn: sns[0],
              waybillNo: 'ZZZZZZ',
              printedAt: '2026-11-27T25:00:00Z',
            },
          ],
        },
      ],
      [
        'POST',
        '/v1/station/mutations',
        station.token,
        {
          clientId: newClientId(),
          mutations: [
            {
              id: 1e300,
              type: 'waybill_returned',
              orderSn: sns[0],
              waybillNo: 'ZZZZZZ',
              printedAt: '2026-11-27T10:00:00Z',
            },
          ],
        },
      ],
      [
        'POST',
        '/v1/station/mutations',
        station.token,
        {
          clientId: newClientId(),
          mutations: [
            {
              id: 1,
              type: 'waybill_returned',
              orderSn: 'nope',
              waybillNo: 'ZZZZZZ',
              printedAt: '2026-11-27T10:00:00Z',
            },
          ],
        },
      ],
      [
        'POST',
        '/v1/station/mutations',
        station.token,
        {
          clientId: newClientId(),
          mutations: [
            {
              id: 2147483648,
              type: 'waybill_returned',
              orderSn: 'nope',
              waybillNo: 'ZZZZZZ',
              printedAt: '2026-11-27T10:00:00Z',
            },
          ],
        },
      ],
      ['POST', '/v1/station/waybills', station.token, { orderSns: [sns[0], sns[0], 'nope'], courier: 'ZTO' }],
      ['GET', '/v1/station/feed', station.token, undefined, { cursor: '\u0000' }],
      ['GET', '/v1/station/feed', station.token, undefined, { cursor: '-1' }],
      ['GET', '/v1/station/feed', station.token, undefined, { cursor: big }],
      ['GET', '/v1/station/feed', station.token, undefined, { cursor: '1e400' }],
      ['GET', '/v1/merchant/orders', merchant.token, undefined, { limit: big }],
      ['GET', '/v1/merchant/orders', merchant.token, undefined, { cursor: big }],
    ];
    const bad: string[] = [];
    for (const [method, path, token, body, query] of cases) {
      const r = await call(h, method, path, { token, body, query });
      if (r.status >= 500)
        bad.push(`${method} ${path} ${JSON.stringify(body ?? query)} → ${r.status} ${JSON.stringify(r.body)}`);
    }
    expect(bad).toEqual([]);
  });
});
