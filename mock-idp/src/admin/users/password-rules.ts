/**
 * Entra's password policy for cloud users: 8 to 256 characters, and at
 * least three of: lower-case letters, upper-case letters, digits, symbols.
 * The message is Microsoft Graph's own; the fix spells the rule out.
 */
export function passwordProblem(password: string): { code: string; message: string; fix: string } | undefined {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length >= 8 && password.length <= 256 && classes >= 3) return undefined;
  return {
    code: 'PASSWORD_TOO_WEAK',
    message: 'The specified password does not comply with password complexity requirements. Please provide a different password.',
    fix: 'Use 8 to 256 characters with at least three of: lower-case letters, upper-case letters, digits, symbols (for example carol-lab-2026).',
  };
}
