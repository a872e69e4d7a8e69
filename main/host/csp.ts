/**
 * The station page's Content-Security-Policy, one for both hosts: our own scripts only, no eval, no
 * remote anything; `connect` adds what the page may talk to besides itself (browser mode's WebSocket).
 */
export function stationCsp(connect: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    ["connect-src 'self'", ...connect].join(' '),
    "frame-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
