/**
 * @file The serializable states the /account actions return to their forms.
 */
export type CreateTokenState =
  | { status: 'idle' }
  /** `token` is shown once; the server keeps only its hash. */
  | { status: 'success'; token: string; name: string; prefix: string }
  | { status: 'invalid_data' | 'unauthorized' | 'failed'; message: string };

export type RevokeTokenState = { status: 'idle' } | { status: 'success' } | { status: 'invalid_data' | 'unauthorized' | 'not_found' | 'failed'; message: string };

/** Success is a redirect home, never a state. */
export type DeleteAccountState = { status: 'idle' } | { status: 'invalid_data' | 'unauthorized' | 'failed'; message: string };
