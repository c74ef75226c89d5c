import { TextField } from '~/components/ui/text-field';
import { PASSWORD } from '~/lib/config';

/**
 * A password being chosen (sign-up, a change on /account): the policy as the
 * hint, the server's refusal in its place. The browser checks the length
 * only; lib/validations/password-policy.ts decides.
 */
export function NewPasswordField({ id, label, name, error }: { id: string; label: string; name: string; error?: string }) {
  return (
    <TextField
      id={id}
      label={label}
      name={name}
      type="password"
      autoComplete="new-password"
      required
      minLength={PASSWORD.minLength}
      error={error}
      hint={`At least ${PASSWORD.minLength} characters; not your email address or a common password.`}
    />
  );
}
