import { unknownEndpoint } from '~/lib/server/api/http';

// /api itself and any path under it that no other route answers (a typo, /api/v2, a retired endpoint): the API's JSON 404, not the HTML page.
// More specific routes (/api/v1/*, /api/auth/*) always win over this catch-all.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = unknownEndpoint;
export const POST = unknownEndpoint;
export const PUT = unknownEndpoint;
export const PATCH = unknownEndpoint;
export const DELETE = unknownEndpoint;
export const OPTIONS = unknownEndpoint;
