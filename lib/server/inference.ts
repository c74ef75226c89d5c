import 'server-only';

export { disposeInferenceService, getInferenceService, lastInferenceStartError } from '~/lib/serving/app-service';
