// A logon that changes an expired password (newPassword) asks for the change once. Once the vault accepted it,
// the new password is the password: sending the old one with newPassword again would be refused for ever, and
// each refusal counts towards the account's lockout.

export interface PasswordChange {
  /** What the next logon sends. */
  current(): { password: string; newPassword: string | undefined };
  /** Called after a logon succeeded. */
  succeeded(): void;
}

export function passwordChange(password: string, newPassword: string | undefined): PasswordChange {
  let now = { password, newPassword };
  return {
    current: () => now,
    succeeded() {
      if (now.newPassword !== undefined) now = { password: now.newPassword, newPassword: undefined };
    },
  };
}
