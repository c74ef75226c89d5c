import { otherMethods } from '~/lib/server/api/http';
import { handleModel } from '~/lib/server/api/meta';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(): Promise<Response> {
  return handleModel();
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
