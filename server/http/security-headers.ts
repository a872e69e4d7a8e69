/**
 * Security headers on every answer (@fastify/helmet), registered in this one place. The hub's own
 * answers are JSON and files, so the default policy forbids any content at all; a page the hub
 * serves (the web console) passes the policy it needs instead.
 */
import type { FastifyInstance } from 'fastify';
import fastifyHelmet from '@fastify/helmet';

export type CspDirectives = Record<string, string[]>;

/** Nothing may load, run or frame: right for JSON and downloads. */
export const API_CSP: CspDirectives = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

export interface SecurityHeaderOptions {
  /** HTTPS is served here (its own certificate): browsers may be told to stay on it (HSTS). */
  tls: boolean;
  contentSecurityPolicy?: CspDirectives;
}

export async function registerSecurityHeaders(app: FastifyInstance, opts: SecurityHeaderOptions): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: opts.contentSecurityPolicy ?? API_CSP },
    // Behind a TLS proxy the proxy decides; a plain-HTTP hub must not pin browsers to HTTPS it lacks.
    strictTransportSecurity: opts.tls ? { maxAge: 31_536_000 } : false,
  });
}
