/**
 * @file Small formatting helpers shared by server code and client
 * components. Kept free of zod: zod in a client bundle probes for eval
 * (`Function("")`), which the Content-Security-Policy refuses and reports.
 */

/** 10485760 → "10 MB", 1536 → "2 KB", 12 → "12 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
