/**
 * Security headers on every answer (@fastify/helmet), registered in this one place. The content
 * security policy is the web console's (its pages are the only HTML the hub serves); JSON and
 * downloads need nothing it does not already forbid.
 */
import type { FastifyInstance } from 'fastify';
import fastifyHelmet from '@fastify/helmet';

export type CspDirectives = Record<string, string[]>;

export interface SecurityHeaderOptions {
  /** HTTPS is served here (its own certificate): browsers may be told to stay on it (HSTS). */
  tls: boolean;
  contentSecurityPolicy: CspDirectives;
}

export async function registerSecurityHeaders(app: FastifyInstance, opts: SecurityHeaderOptions): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: opts.contentSecurityPolicy },
    // Behind a TLS proxy the proxy decides; a plain-HTTP hub must not pin browsers to HTTPS it lacks.
    strictTransportSecurity: opts.tls ? { maxAge: 31_536_000 } : false,
  });
}
