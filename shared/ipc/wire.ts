/**
 * Browser mode's WebSocket frames (DESIGN.md §8). The page first proves it holds the per-launch secret
 * (handed to it in the URL fragment, never in a query string or a log), then calls methods by id and
 * receives events. Main validates every frame with these schemas and every call's arguments with the
 * contract's, and answers a bad one with an error value.
 */
import { z } from 'zod';
import { StationErrorBodySchema } from './errors.ts';

/** The largest frame main accepts; a print chunk of 20 prepared labels is well under it. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** How long a new connection may take to say hello. */
export const HELLO_TIMEOUT_MS = 5_000;
export const WS_PATH = '/ipc';
/** WebSocket close codes of our own (4000–4999 are for applications). */
export const WS_CLOSE = { unauthorized: 4401, forbiddenOrigin: 4403, badFrame: 4400, helloTimeout: 4408 } as const;

export const ClientFrameSchema = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('hello'), secret: z.string().min(1).max(256) }),
  z.strictObject({
    t: z.literal('call'),
    id: z.number().int().nonnegative(),
    method: z.string().max(64),
    args: z.unknown(),
  }),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

// A plain union: two result shapes share `t: 'result'`, which a discriminated union cannot hold.
export const ServerFrameSchema = z.union([
  z.strictObject({ t: z.literal('welcome') }),
  z.strictObject({ t: z.literal('result'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ t: z.literal('result'), id: z.number().int(), ok: z.literal(false), error: StationErrorBodySchema }),
  z.strictObject({ t: z.literal('event'), name: z.string(), payload: z.unknown() }),
  z.strictObject({ t: z.literal('error'), error: StationErrorBodySchema }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;
