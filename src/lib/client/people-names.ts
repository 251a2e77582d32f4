/**
 * The name to show for the account that recorded something. The tablet knows the display name of
 * the account signed in on it; other accounts are shown by the name the record itself gives (a
 * follow-up's visitor name, a signature's printed name) before falling back to the account name.
 */
import { session } from './session.svelte.ts';

export function recordedByName(username: string | undefined, nameOnRecord?: string): string {
  const me = session.current?.user;
  if (me && username === me.username && me.displayName) return me.displayName;
  return nameOnRecord?.trim() || username || '';
}
