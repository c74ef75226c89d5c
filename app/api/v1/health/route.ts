import { otherMethods } from '~/lib/server/api/http';
import { handleHealth } from '~/lib/server/api/meta';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(): Promise<Response> {
  return handleHealth();
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
