/**
 * @file The serializable states the /account actions return to their forms.
 */
export type CreateTokenState =
  | { status: 'idle' }
  /** `token` is shown once; the server keeps only its hash. */
  | { status: 'success'; token: string; name: string; prefix: string }
  /** `field: 'name'` when the message is about the name typed (shown under it), absent when about the account. */
  | { status: 'invalid_data' | 'unauthorized' | 'failed'; message: string; field?: 'name' };

export type RevokeTokenState = { status: 'idle' } | { status: 'success' } | { status: 'invalid_data' | 'unauthorized' | 'not_found' | 'failed'; message: string };

/** Success is a redirect home, never a state. */
export type DeleteAccountState =
  | { status: 'idle' }
  /** `field`: the message is about the password typed (shown at the field), not about the account (the last admin). */
  | { status: 'invalid_data'; message: string; field?: 'currentPassword' }
  | { status: 'unauthorized' | 'rate_limited' | 'failed'; message: string };

export const CHANGE_PASSWORD_FIELDS = ['currentPassword', 'newPassword'] as const;
export type ChangePasswordField = (typeof CHANGE_PASSWORD_FIELDS)[number];

/** On success this browser stays signed in and every other session has ended. */
export type ChangePasswordState =
  | { status: 'idle' }
  | { status: 'success'; message: string }
  | { status: 'invalid_data'; fieldErrors: Partial<Record<ChangePasswordField, string>> }
  | { status: 'unauthorized' | 'rate_limited' | 'failed'; message: string };

export type EndOtherSessionsState = { status: 'idle' } | { status: 'success' | 'unauthorized' | 'failed'; message: string };
