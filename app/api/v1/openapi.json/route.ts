import { handleOpenApi } from '~/lib/server/api/meta';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return handleOpenApi();
}
