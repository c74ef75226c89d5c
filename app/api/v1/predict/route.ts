import { otherMethods } from '~/lib/server/api/http';
import { handlePredict } from '~/lib/server/api/predict';

// Worker threads, sharp and onnxruntime need Node; answers are never cached.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function POST(request: Request): Promise<Response> {
  return handlePredict(request);
}

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
