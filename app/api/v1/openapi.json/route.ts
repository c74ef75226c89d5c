import { otherMethods } from '~/lib/server/api/http';
import { handleOpenApi } from '~/lib/server/api/meta';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return handleOpenApi();
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
